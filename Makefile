# The two commands: `make run` (talk to the assistant) and `make test` (run every test).
# Both install what is missing first: virtualenv, pinned packages, spaCy pipeline, model,
# the web widget (npm) and, for the browser tests, Debian's Chromium.

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
# The matchers' rules (content/red_flags.yml, crisis.yml, dose_questions.yml) are read when
# the model is loaded, so changing them needs no training; the safety net learns its examples
# (content/safety_net.yml) and the classifier reads its examples through the spellings
# (content/spellings.yml), so changing those does.
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/*.yml data/faq/*.yml) content/safety_net.yml content/spellings.yml \
	$(wildcard nlu_components/*.py dialogue_policies/*.py) $(SPACY_PIPELINE)

.PHONY: install run shell train web browser validate test test-unit pytest test-stories cross-validate bench loadtest review forget-conversations clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt Makefile
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found (install it with pyenv: pyenv install 3.10)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	@# Rasa's telemetry off for your user, so plain `rasa ...` commands send nothing either.
	$(RASA) telemetry disable >/dev/null 2>&1
	@# Plain `rasa test` reads every story file under the project root, .venv included, where
	@# Rasa ships the starter project of `rasa init` (a mood bot whose stories fail here).
	rm -rf $(VENV)/lib/python3.10/site-packages/rasa/cli/initial_project/{data,tests}
	touch $@

# The script also rewrites data/synonyms.yml, only when its content changes.
$(SPACY_PIPELINE): $(SPACY_INPUTS) | $(VENV)/.installed
	$(PY) scripts/build_spacy_pipeline.py

# Retrains only when training data, configuration or NLU components changed.
$(MODEL): $(TRAINING_INPUTS) | $(VENV)/.installed
	$(RASA) train --fixed-model-name cart --out models

train: $(MODEL)

# The chat widget: npm packages from the lock file, bundled into web/dist by esbuild.
WEB_BUNDLE := web/dist/cart-widget.js
web: $(WEB_BUNDLE)

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

$(WEB_BUNDLE): $(wildcard web/src/*) web/node_modules/.package-lock.json
	cd web && npm run build

# Playwright drives Debian's Chromium (it cannot download its own browser here).
# Without root or apt-get the browser tests skip, except under CI=true where they fail.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-liberation; } || \
		echo "Could not install Chromium: the browser tests will be skipped."

run: $(MODEL) $(WEB_BUNDLE)
	scripts/run.sh

shell: $(MODEL)
	scripts/run.sh shell

validate: $(SPACY_PIPELINE)
	$(RASA) data validate --fail-on-warnings

pytest: $(MODEL) $(WEB_BUNDLE) browser
	$(VENV)/bin/pytest

# The fast tier: no trained model, npm, Chromium or services (tests/conftest.py marks the rest).
test-unit: $(SPACY_PIPELINE)
	$(VENV)/bin/pytest -m "not integration" -q

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --e2e --fail-on-prediction-errors \
		--out results/stories

test: validate pytest test-stories

# A tuning set that spends no hold-out: the training data's real questions, each source's
# held out in turn (by host, 5 folds), through the configured thresholds. README, "Results".
cross-validate: $(SPACY_PIPELINE)
	$(PY) scripts/cross_validate_sources.py

# The project against stock Rasa (`rasa init` config), trained and served here: hours with
# today's data (stock DIET); PROJECT_ONLY=1 measures the project and its targets in minutes.
bench: $(SPACY_PIPELINE)
	$(PY) scripts/bench.py $(if $(PROJECT_ONLY),--project-only)

# 50 conversations for 60 s against one server; fails on any error or lost event.
loadtest: $(MODEL)
	$(PY) scripts/loadtest.py

# What people asked and what the assistant could not answer in the last DAYS days (default 7),
# from the tracker store (CART_TRACKER_STORE_URL, else conversations.db):
# results/review/review.html, suggested training examples, a Markdown summary. README, "Review".
review: | $(VENV)/.installed
	$(PY) scripts/review.py --days $(or $(DAYS),7)

# Deletes conversations idle for more than DAYS days from the tracker store: conversations.db,
# or with CART_DEPLOY=1 the one CART_TRACKER_STORE_URL names. README, "Deploying".
forget-conversations: | $(VENV)/.installed
	@test -n "$(DAYS)" || { echo "usage: make forget-conversations DAYS=30"; exit 2; }
	scripts/run.sh forget-conversations $(DAYS)

clean:
	rm -rf build models results .rasa web/dist
