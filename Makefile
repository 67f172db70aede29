# Pledgewatch: `make run` serves the dashboard, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format eval bench bench-all clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Serve the dashboard on the embedded default (SQLite, Celery eager, seed data loaded).
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py ingest_file seeds/000_ac9b6a256edaf299.txt
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Lint, migration check and the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## The extractor backends side by side: on real published articles (texts fetched locally, see
## evaluation/README.md; says so when they are absent), then on the passages written in-house.
BACKENDS := ingest.extractor.multilingual.MultilingualExtractor ingest.extractor.rules.RuleBasedExtractor
eval: $(STAMP)
	$(BIN)/python -m ingest.extractor.real_news
	$(BIN)/python -m ingest.extractor.real_news --split test
	@for backend in $(BACKENDS); do \
		echo "\n$$backend: written passages"; \
		$(BIN)/python -m ingest.extractor.evaluate evaluation/devset.jsonl --backend $$backend; \
		$(BIN)/python -m ingest.extractor.evaluate evaluation/holdout.jsonl --backend $$backend; \
	done

## Performance benchmark (issue 4): prints one JSON object, also written to bench/results.json.
## BENCH_DB=sqlite (default) or postgres; throwaway databases, servers on 127.0.0.1 only.
bench: $(STAMP)
	$(BIN)/python -m bench

bench-all: $(STAMP)
	BENCH_DB=sqlite $(BIN)/python -m bench
	BENCH_DB=postgres $(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
