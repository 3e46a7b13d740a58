# Two commands for a fresh clone (see README.md):
#   make demo   set up and serve the hall with demo data on http://127.0.0.1:5000
#               (gunicorn, 3 workers: phones and the projector at once; for phones on the venue's
#               network: make demo BIND=0.0.0.0:5000), with `flask worker` beside it for the job
#               queue (e-mail, federation deliveries, housekeeping); Ctrl-C stops both
#   make test   set up and run the whole test suite
VENV ?= .venv
PYTHON ?= python3
PIP = $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check
FLASK = $(VENV)/bin/flask --app app
BIND ?= 127.0.0.1:5000

.PHONY: demo test clean

$(VENV)/.app-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.app-installed requirements-dev.txt
	$(PIP) -r requirements.txt -r requirements-dev.txt
	touch $@

demo: $(VENV)/.app-installed
	$(FLASK) demo --if-empty
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	XTQ_BIND=$(BIND) XTQ_WORKERS=3 $(VENV)/bin/gunicorn -c gunicorn.conf.py app:app

test: $(VENV)/.test-installed
	bash scripts/test.sh

clean:
	rm -rf $(VENV)
