# The two commands: `make run` (talk to the assistant) and `make test` (run every test).
# Both install what is missing first: virtualenv, pinned packages, spaCy pipeline, model.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
# Python 3.10 (Rasa 3.6 does not install on 3.11): .python-version selects it under pyenv.
PYTHON ?= $(shell pyenv which python 2>/dev/null || command -v python3.10)

export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

MODEL := models/cart.tar.gz
SPACY_PIPELINE := build/spacy_pipeline/meta.json
SPACY_INPUTS := content/products.yml content/cancers.yml content/side_effects.yml \
	actions/content.py scripts/build_spacy_pipeline.py
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/*.yml data/nlu/*.yml) \
	content/red_flags.yml $(wildcard nlu_components/*.py) $(SPACY_PIPELINE)

.PHONY: install run shell train validate test pytest test-stories clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found (install it with pyenv: pyenv install 3.10)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# The script also rewrites data/nlu/synonyms.yml, only when its content changes.
$(SPACY_PIPELINE): $(SPACY_INPUTS) $(VENV)/.installed
	$(PY) scripts/build_spacy_pipeline.py

# Retrains only when training data, configuration or NLU components changed.
$(MODEL): $(TRAINING_INPUTS) $(VENV)/.installed
	$(RASA) train --fixed-model-name cart --out models

train: $(MODEL)

run: $(MODEL)
	scripts/run.sh

shell: $(MODEL)
	scripts/run.sh shell

validate: $(SPACY_PIPELINE)
	$(RASA) data validate --fail-on-warnings

pytest: $(MODEL)
	$(VENV)/bin/pytest

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors \
		--out results/stories

test: validate pytest test-stories

clean:
	rm -rf build models results .rasa
