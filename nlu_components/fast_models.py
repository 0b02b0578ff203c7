"""Rasa's DIETClassifier and ResponseSelector, loaded in half the time, predicting without TensorFlow.

Loading: Rasa 3.6 loads a TensorFlow model by running one training step on an example, which
traces the whole training graph (gradients included: about 2 s per model here), only
to create the variables it then overwrites from the checkpoint. A model that only
predicts does not need that step: TensorFlow restores each checkpointed variable when
it is created, so tracing the prediction graph, which Rasa does anyway, is enough.
Training and fine-tuning (`rasa train --finetune`) take Rasa's own path.

Predicting: with the project's settings (no transformer layers, no entity recognition)
a prediction is a few small matrix products on the sentence features, which
nlu_components/sentence_scorer.py computes in NumPy in ~0.2 ms instead of ~3 ms per
model through TensorFlow. Models with other settings predict with TensorFlow. Both
give the same confidences (tests/test_fast_models.py).
"""
from __future__ import annotations

import re
import warnings
from typing import Any, Dict, Optional, Text, Type

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.selectors.response_selector import DIET2BOW, DIET2DIET, ResponseSelector
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

from nlu_components.sentence_scorer import SentenceScorer

# Rasa's configuration check (DefaultV1RecipeValidator) looks for its own classes by exact
# type, so with these subclasses it warns that no response selector is configured; and that
# no entity extractor is trained, which is the design (the spaCy entity ruler finds entities).
# Exactly those two warnings are silenced.
for _unfounded in ("You have defined training data with examples for training a response selector, but your "
                   "NLU configuration does not include a response selector component.",
                   "You have defined training data consisting of entity examples, but your NLU configuration "
                   "does not include an entity extractor trained on your training data."):
    warnings.filterwarnings("ignore", message=re.escape(_unfounded), category=UserWarning)


class PredictionOnlyLoading:
    """Mixin for Rasa's TensorFlow models (first base class)."""

    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            return super().load(  # type: ignore[misc]
                model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
            )
        model = cls(*args, **kwargs)
        model.compile(run_eagerly=kwargs["config"].get(RUN_EAGERLY))
        # The optimizer's state and training-only layers stay unread in the checkpoint.
        model.load_weights(model_file_name).expect_partial()
        model.run_inference(predict_data_example)  # creates (and restores) the variables
        return model


class _DIET(PredictionOnlyLoading, DIET):
    pass


class _DIET2BOW(PredictionOnlyLoading, DIET2BOW):
    pass


class _DIET2DIET(PredictionOnlyLoading, DIET2DIET):
    pass


class SentenceScoring:
    """Mixin for DIETClassifier and ResponseSelector (first base class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A model loaded for prediction gets a scorer; one trained in this process predicts with TensorFlow.
        self.scorer = SentenceScorer.for_model(self.model) if self.model is not None else None

    def _predict(self, message: Message) -> Optional[Dict[Text, Any]]:
        scores = self.scorer.predict(message) if self.scorer else None
        return scores or super()._predict(message)  # type: ignore[misc]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class FastDIETClassifier(SentenceScoring, DIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return _DIET


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FastResponseSelector(SentenceScoring, ResponseSelector):
    @staticmethod
    def model_class(use_text_as_label: bool) -> Type[RasaModel]:  # type: ignore[override]
        return _DIET2DIET if use_text_as_label else _DIET2BOW
