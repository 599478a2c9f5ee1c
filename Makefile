# Sekolah Aman. `make` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# DEBUG is off unless asked for: development and the tests ask for it here.
DEV := DJANGO_DEBUG=1

.DEFAULT_GOAL := help
.PHONY: help run test lint format messages worker beat bench

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed ## set up the demo (migrate, seed_demo, admin user) and serve it on http://127.0.0.1:8000 (HOST=0.0.0.0:8000: on the local network)
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py seed_demo
	$(DEV) $(PY) manage.py ensure_admin
	$(DEV) env $$($(PY) -m cms.lan $(HOST)) $(PY) manage.py runserver $(HOST)

test: $(VENV)/.installed ## run every test (SQLite and eager Celery unless DATABASE_URL / CELERY_BROKER_URL are set)
	$(DEV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed ## ruff, formatting, migrations and the import contracts between apps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed ## format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# cms/templates/wagtail*/ are Wagtail's own templates, mended: their strings are Wagtail's,
# translated by Wagtail and locale_wagtail/ (which compilemessages compiles too).
messages: $(VENV)/.installed ## extract strings into locale/id and compile them (and locale_wagtail/id)
	$(DEV) $(PY) manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=tests --ignore=bench --ignore='cms/templates/wagtail*'
	$(DEV) $(PY) manage.py compilemessages -l id --ignore=.venv

worker: $(VENV)/.installed ## a Celery worker (needs CELERY_BROKER_URL)
	$(DEV) $(VENV)/bin/celery -A cms worker --loglevel=INFO

beat: $(VENV)/.installed ## Celery beat, the scheduler (needs CELERY_BROKER_URL)
	$(DEV) $(VENV)/bin/celery -A cms beat --loglevel=INFO
