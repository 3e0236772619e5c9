# liaison — 人大代表联络工作平台
#   make run    install, migrate SQLite, load demo data, start web + Celery worker + beat (Ctrl-C stops all)
#   make test   install what the tests need, start PostgreSQL + Redis on loopback, lint (ruff, import contracts),
#               checks, whole suite
#   make bench  province-scale benchmark (SCALE=1.0; SCALE=0.01 for a quick run): writes docs/benchmarks.md
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test venv venv-dev migrate demo messages lint format bench clean backup restore

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.stamp-run: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.stamp-run

venv: $(VENV)/.stamp-run
venv-dev: $(VENV)/.stamp-dev

migrate: venv
	mkdir -p var/broker/out var/broker/processed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	PORT=$(PORT) scripts/run.sh

test:
	scripts/test.sh

SCALE ?= 1.0
bench:
	SCALE=$(SCALE) scripts/bench/bench.sh

messages: venv
	$(PY) manage.py makemessages -l en -e html,txt,py,jinja --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages -l en --ignore=.venv

lint: venv-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-cache --no-logo

format: venv-dev
	$(VENV)/bin/ruff check --fix . ; $(VENV)/bin/ruff format .

clean:
	rm -rf var

backup: venv
	$(PY) manage.py backup

restore: venv
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/liaison-....dump"; exit 1; }
	$(PY) manage.py restore "$(FILE)"
