"""The label confidences of a trained DIET or ResponseSelector model, computed in NumPy.

Without transformer layers, a DIET-style model's intent (or response) prediction depends
only on the message's sentence-level features: sparse features -> dense layer ->
feed-forward layers -> embedding, compared with the precomputed label embeddings.
That is a few small matrix products (about 0.1 ms), while Rasa's TensorFlow call costs
3-4 ms per message and model, nearly all of it Python-side input handling.
`SentenceScorer.for_model` returns None for any model this shortcut does not cover
exactly (transformer, entity recognition, dense features, other layers), which then
predicts with TensorFlow as usual. It reads the weights from private attributes of the
layers of Rasa's model (Rasa is pinned in requirements.txt); if another Rasa version lays
them out differently, it warns once and Rasa's own TensorFlow prediction is used.
tests/test_fast_models.py checks that the two agree, and the fallback.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import (
    ENTITY_RECOGNITION,
    FEATURIZERS,
    INNER,
    INTENT_CLASSIFICATION,
    LABEL,
    SENTENCE,
    SEQUENCE,
    SOFTMAX,
)
from rasa.utils.tensorflow.layers import RandomlyConnectedDense
from rasa.utils.tensorflow.models import RasaModel
from scipy.special import erf

logger = logging.getLogger(__name__)
Weights = Tuple[np.ndarray, np.ndarray]  # kernel, bias


def _numpy(tensor: Any) -> np.ndarray:
    return np.asarray(tensor.numpy(), dtype=np.float32)


def _dot(vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """vector @ matrix in NumPy's own loop: as fast as BLAS at this size, while a BLAS
    thread pool waking up for each message stalls it by milliseconds on a busy machine."""
    return np.einsum("i,ij->j", vector, matrix)


def _gelu(x: np.ndarray) -> np.ndarray:
    """TensorFlow's tf.nn.gelu (exact, not the tanh approximation)."""
    return (0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))).astype(np.float32)


def _softmax(x: np.ndarray) -> np.ndarray:
    exp = np.exp(x - x.max())
    return exp / exp.sum()


class SentenceScorer:
    def __init__(self, sparse_to_dense: Weights, hidden_layers: List[Weights], embed: Weights,
                 label_embeddings: np.ndarray, featurizers: List[Text]) -> None:
        self.sparse_to_dense = sparse_to_dense
        self.hidden_layers = hidden_layers
        self.embed = embed
        self.label_embeddings = label_embeddings
        self.featurizers = featurizers

    @classmethod
    def for_model(cls, model: RasaModel) -> Optional["SentenceScorer"]:
        """The scorer for `model`, or None: its prediction is not the sentence path alone, or
        Rasa's layers are not laid out as this class knows them."""
        try:
            return cls._for_model(model)
        except (AttributeError, KeyError, IndexError, TypeError, ValueError) as error:
            logger.warning(f"{type(model).__name__}'s layers are not what the NumPy scorer knows "
                           f"({type(error).__name__}: {error}): predicting with Rasa's TensorFlow model.")
            return None

    @classmethod
    def _for_model(cls, model: RasaModel) -> Optional["SentenceScorer"]:
        config = model.config
        if (not config.get(INTENT_CLASSIFICATION) or config.get(ENTITY_RECOGNITION)
                or model.all_labels_embed is None):
            return None
        sequence_layer = model._tf_layers[f"sequence_layer.{model.text_name}"]
        loss = model._tf_layers[f"loss.{LABEL}"]
        if sequence_layer._has_transformer or loss.similarity_type != INNER or loss.model_confidence != SOFTMAX:
            return None
        combining = sequence_layer._tf_layers[sequence_layer.FEATURE_COMBINING]
        expected = {f"sparse_dense.{SENTENCE}", f"sparse_dense.{SEQUENCE}"}
        if not combining._feature_types_present[SENTENCE] or set(combining._tf_layers) - expected:
            return None  # e.g. dims unified by extra layers before sequence and sentence are joined
        sentence = combining._tf_layers[f"sparse_dense.{SENTENCE}"]
        if [s.is_sparse for s in model.data_signature[model.text_name][SENTENCE]] != [True]:
            return None  # dense (e.g. spaCy vector) sentence features
        sparse_to_dense = sentence._tf_layers[sentence.SPARSE_TO_DENSE]
        if getattr(sparse_to_dense.activation, "__name__", "linear") != "linear" or not sparse_to_dense.use_bias:
            return None
        hidden_layers = []
        for layer in sequence_layer._tf_layers[sequence_layer.FFNN]._ffn_layers:
            if isinstance(layer, RandomlyConnectedDense):
                kernel = _numpy(layer.kernel)
                if layer.kernel_mask is not None:
                    kernel = kernel * _numpy(layer.kernel_mask)
                hidden_layers.append((kernel, _numpy(layer.bias)))
        embed = model._tf_layers[f"embed.{model.text_name}"]._dense
        return cls(
            sparse_to_dense=(_numpy(sparse_to_dense.kernel), _numpy(sparse_to_dense.bias)),
            hidden_layers=hidden_layers,
            embed=(_numpy(embed.kernel), _numpy(embed.bias)),
            label_embeddings=_numpy(model.all_labels_embed),
            featurizers=config.get(FEATURIZERS) or [],
        )

    def predict(self, message: Message) -> Optional[Dict[Text, np.ndarray]]:
        """Rasa's model output for the message's labels ({"i_scores": 1 x labels}), or None
        if the message has no sentence features (then Rasa's own path decides)."""
        kernel, bias = self.sparse_to_dense
        columns, values, width = [], [], 0
        # The features side by side in the message's order, as Message.get_sparse_features
        # joins them (without its copies, which cost more than the arithmetic).
        for features in message.features:
            if (features.attribute == TEXT and features.is_sparse() and features.type == FEATURE_TYPE_SENTENCE
                    and (not self.featurizers or features.origin in self.featurizers)):
                matrix = features.features.tocoo()
                columns.append(matrix.col + width)
                values.append(matrix.data)
                width += matrix.shape[1]
        if width != kernel.shape[0]:
            return None
        x = _dot(np.concatenate(values).astype(np.float32), kernel[np.concatenate(columns)]) + bias
        for kernel, bias in self.hidden_layers:
            x = _gelu(_dot(x, kernel) + bias)
        kernel, bias = self.embed
        similarities = _dot(_dot(x, kernel) + bias, self.label_embeddings.T)
        return {"i_scores": _softmax(similarities)[np.newaxis, :]}
