# The two commands a newcomer needs: `make run` and `make test`. Both bootstrap everything
# (a pinned uv, the locked dependencies in .venv, the embedded PostgreSQL) from Python 3.11+.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: run test lint format openapi migration migrate install clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

install: $(VENV)/.installed

run: install  ## Serve on http://127.0.0.1:8000 with embedded PostgreSQL and demo data.
	$(VENV)/bin/massar serve --migrate --seed-demo --with-worker

test: install  ## The whole suite, on MASSAR_TEST_DATABASE_URL or an embedded PostgreSQL.
	$(VENV)/bin/pytest

lint: install  ## ruff, ruff format --check, strict mypy on app/.
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

openapi: install  ## Rewrite openapi/v1.json from the code.
	$(VENV)/bin/massar export-openapi --output openapi/v1.json

migrate: install
	$(VENV)/bin/massar migrate

migration: install  ## make migration m="add pupils"
	@test -n "$(m)" || (echo 'usage: make migration m="what changes"' && exit 2)
	$(VENV)/bin/alembic revision --autogenerate -m "$(m)"

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
