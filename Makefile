# Developer entry points. `make run` and `make test` work on a new machine.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
WORKERS ?= 2
DATA ?= ../shared/data/mbti500_sample.csv
EXTERNAL ?= ../shared/data/mbti1_sample.csv
STAMP := $(VENV)/.installed

export PORT WORKERS

.PHONY: setup run test lint format train evaluate bench clean

$(STAMP): pyproject.toml constraints.txt requirements-tools.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e '.[dev]'
	$(VENV)/bin/pip install --quiet -r requirements-tools.txt
	touch $(STAMP)

## setup: create .venv, install the package and prepare WordNet (idempotent)
setup: $(STAMP)
	bin/setup-wordnet $(VENV)/bin/python

## run: set up, then serve the shipped artifact on $(PORT) with $(WORKERS) workers
run: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bin/serve

## test: lint, then the whole test suite
test: setup lint
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## train: retrain the shipped artifact from the sample data
train: setup
	$(VENV)/bin/mbti train --data $(DATA) --external $(EXTERNAL) --out artifacts

evaluate: setup
	$(VENV)/bin/mbti evaluate --data $(EXTERNAL) --model artifacts

## bench: measure prediction, HTTP throughput, memory and training scale
bench: setup
	command -v wrk >/dev/null || bin/apt-install wrk
	$(VENV)/bin/python -m benchmarks.bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
