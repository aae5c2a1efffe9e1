# Seniorveiviser: `make run` sets up and starts everything; `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
# Rasa 3.6 runs only on Python 3.10: a pyenv-installed 3.10 first, else python3.10 on PATH.
RASA_PYTHON ?= $(firstword $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10) \
  $(shell python3.10 -c 'import sys; print(sys.executable)' 2>/dev/null))
APP_VENV := .venv/app
APP := $(APP_VENV)/bin
RASA_VENV := .venv/rasa
RASA := $(RASA_VENV)/bin
MODEL := models/seniorveiviser.tar.gz
DETECTOR := models/emergency-detector.json
TRAINING_DATA := config.yml bot/domain.yml $(shell find data bot/components -type f -name '*.y*ml' -o -type f -name '*.py' 2>/dev/null)

.PHONY: help install browser clients run run-scaled scaled-database catalogue model test lint typecheck validate unit stories bench \
  bench-conversation bench-gateway bench-tracker bench-stats eval eval-dialogues \
  lock lock-rasa clean

help:
	@echo "make run    install what is missing, build the catalogue, start every part (SQLite)"
	@echo "make run-scaled  2 Rasa + 2 action servers, 3 API workers, PostgreSQL, Redis, RabbitMQ"
	@echo "make test   lint, type checks and all tests (SQLite and the local PostgreSQL)"
	@echo "make eval   start the assistant and score it on ../shared/eval"
	@echo "make eval-dialogues  play whole conversations through the chat gateway"
	@echo "make bench  API benchmark: p50/p99 and requests/s at a fixed rate"
	@echo "make bench-conversation  Rasa CPU per turn and reply latency, against a bare rasa init bot"
	@echo "make bench-gateway  the whole chat path: peak msg/s at p95 <= 500 ms, and 300 clients at once"
	@echo "make bench-tracker  loading a tracker at the 20th and the 1,000th message (session expiry)"
	@echo "make bench-stats  figures: a day's fold, a full rebuild, overview/CSV p95 over a year"
	@echo "make lock   re-pin requirements/app.txt from requirements/app.in"

$(APP_VENV)/.installed: requirements/app.txt
	@test -x $(APP)/python || $(APP_PYTHON) -m venv $(APP_VENV)
	$(APP)/pip install -qq --disable-pip-version-check -r requirements/app.txt
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.txt
	@test -n "$(RASA_PYTHON)" || { echo "Rasa 3.6 needs Python 3.10 (python3.10 not found)"; exit 1; }
	@test -x $(RASA)/python || $(RASA_PYTHON) -m venv $(RASA_VENV)
	$(RASA)/pip install -qq --disable-pip-version-check -r requirements/rasa.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(APP_VENV)/.installed $(RASA_VENV)/.installed node_modules/.installed

# Debian's Chromium for the browser tests (Playwright drives it; no browser downloads).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The emergency detector (core/safety): weights trained on core/safety/examples.yml.
# It learns from the NLU data too (every other intent is a calm message).
$(DETECTOR): $(RASA_VENV)/.installed core/safety/examples.yml core/safety/detector.py \
  core/safety/training.py $(wildcard data/nlu/*.yml)
	PYTHONPATH=$(CURDIR) $(RASA)/python -m core.safety build >/dev/null

# Train only when the model is missing or its training data changed.
# Rasa loads the emergency detector when it starts, so it comes first.
$(MODEL): $(RASA_VENV)/.installed $(TRAINING_DATA) | $(DETECTOR)
	PYTHONPATH=$(CURDIR) $(RASA)/rasa train --config config.yml --domain bot/domain.yml \
	  --data data --out models --fixed-model-name seniorveiviser

model: $(MODEL) $(DETECTOR)

catalogue: install
	$(APP)/python -m services_catalog load

# Credentials for the assistant (to open tickets) and the Telegram bridge, in var/secrets/.
clients: catalogue
	$(APP)/python -m api.admin ensure-clients

# The Telegram bridge starts only with a bot token (TELEGRAM_BOT_TOKEN in the environment or
# .env); `python -m bot.telegram --check` says whether it can, and why not.
run: catalogue clients model
	LOG_LEVEL=$${LOG_LEVEL:-warning} $(APP)/honcho start -f Procfile \
	  -c telegram=$$($(APP)/python -m bot.telegram --check >&2 && echo 1 || echo 0)

# The scaled set-up (README, "Scaled set-up"): 2 Rasa and 2 action servers, 3 API workers,
# PostgreSQL for everything, Redis as Rasa's lock store; JSON logs.
SCALED_DATABASE_URL ?= postgresql://root@127.0.0.1:5432/seniorveiviser
SCALED_REDIS_URL ?= redis://127.0.0.1:6379/0
SCALED_AMQP_URL ?= amqp://guest:guest@127.0.0.1:5672/%2F
run-scaled: export DATABASE_URL = $(SCALED_DATABASE_URL)
run-scaled: export REDIS_URL = $(SCALED_REDIS_URL)
run-scaled: export EVENT_BROKER_AMQP_URL = $(SCALED_AMQP_URL)
run-scaled: export RASA_URLS = http://127.0.0.1:5005,http://127.0.0.1:5006
run-scaled: export LOG_FORMAT = json
run-scaled: scaled-database catalogue clients model
	LOG_LEVEL=$${LOG_LEVEL:-warning} $(APP)/honcho start -f Procfile.scaled \
	  -c telegram=$$($(APP)/python -m bot.telegram --check >&2 && echo 1 || echo 0)

scaled-database:
	@psql "$(SCALED_DATABASE_URL)" -c 'SELECT 1' >/dev/null 2>&1 || \
	  createdb --maintenance-db="$(dir $(SCALED_DATABASE_URL))postgres" \
	    "$(notdir $(SCALED_DATABASE_URL))"

lint: install
	$(APP)/ruff check .
	$(APP)/ruff format --check .

typecheck: install
	$(APP)/mypy

unit: install model browser
	$(APP)/pytest

# Test stories: every user text must get its intent, every turn its action.
stories: model
	PYTHONPATH=$(CURDIR) $(RASA)/rasa test core --model $(MODEL) --stories tests/stories \
	  --out var/test-stories --fail-on-prediction-errors

validate: install
	PYTHONPATH=$(CURDIR) $(RASA)/rasa data validate --fail-on-warnings \
	  --config config.yml --domain bot/domain.yml --data data

test: lint typecheck validate model unit stories

bench: install
	$(APP)/python bench/api_bench.py

bench-conversation: install model
	$(APP)/python bench/conversation_bench.py

# The whole chat path under load: peak rate at p95 <= 500 ms, then 300 clients at once.
# ARGS passes options on, e.g. ARGS="--topology scaled --mode soak" (bench/gateway_bench.py).
bench-gateway: install model
	$(APP)/python bench/gateway_bench.py $(ARGS)

# Loading a tracker at the 20th and the 1,000th message, with and without session expiry.
bench-tracker: install
	PYTHONPATH=$(CURDIR) TF_CPP_MIN_LOG_LEVEL=2 $(RASA)/python -W ignore bench/tracker_bench.py

# A year of synthetic conversations (600,000: ten times Oslo) folded day by day, a full
# rebuild, then the overview and CSV exports read over HTTP. SIZE=60000 for a quicker run.
bench-stats: install
	$(APP)/python bench/stats_bench.py $(if $(SIZE),--conversations $(SIZE))

eval: catalogue model
	$(APP)/python -m devtools.eval

# Whole conversations through the chat gateway: shared dev dialogues and our own.
eval-dialogues: catalogue clients model
	$(APP)/python -m devtools.eval --dialogues

lock-rasa:
	@test -x $(RASA)/python || $(RASA_PYTHON) -m venv $(RASA_VENV)
	$(RASA)/pip install -qq -r requirements/rasa.in
	{ echo "# Generated by \`make lock-rasa\` from requirements/rasa.in; do not edit by hand."; \
	  $(RASA)/pip freeze; } > requirements/rasa.txt
	@touch $(RASA_VENV)/.installed

lock:
	@test -x $(APP)/python || $(APP_PYTHON) -m venv $(APP_VENV)
	$(APP)/pip install -qq -r requirements/app.in
	{ echo "# Generated by \`make lock\` from requirements/app.in; do not edit by hand."; \
	  $(APP)/pip freeze --exclude-editable; } > requirements/app.txt
	@touch $(APP_VENV)/.installed

clean:
	rm -rf .venv var models node_modules .mypy_cache .ruff_cache .pytest_cache
