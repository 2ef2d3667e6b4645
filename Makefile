# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export SIHARPA_DATA_DIR ?= $(CURDIR)/data

.PHONY: setup run serve demo lint test bench bench-national clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# 112 callers are stored as an HMAC keyed by SIHARPA_PII_KEY; for the demo a local key is made once (0600).
# In production the key comes from the district's secret store, and stays the same (hashes depend on it).
PII_KEY_FILE := $(SIHARPA_DATA_DIR)/.pii_key
WITH_KEY = SIHARPA_PII_KEY=$${SIHARPA_PII_KEY:-$$(cat $(PII_KEY_FILE))}

$(PII_KEY_FILE):
	@mkdir -p $(dir $@)
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $@

# The demo is loaded once (the marker says so): later starts do not reload it, re-queue its inbox files or add
# duplicate receipts. `make demo` loads it again on purpose.
DEMO_LOADED := $(SIHARPA_DATA_DIR)/.demo_loaded

$(DEMO_LOADED): | $(STAMP) $(PII_KEY_FILE)
	$(WITH_KEY) $(BIN)/siharpa demo --years 5 --inbox-files 3
	@touch $@

demo: setup $(PII_KEY_FILE)
	$(WITH_KEY) $(BIN)/siharpa demo --years 5 --inbox-files 3
	@touch $(DEMO_LOADED)

# First run: loads the demo history (a few minutes) and queues its newest files for the sensor; every run then
# starts Dagster (http://127.0.0.1:3000) and the dashboards (http://127.0.0.1:8501). Ctrl-C stops both.
run: $(DEMO_LOADED) serve

# Production: the same services on the district's own data, no demo.
serve: setup $(PII_KEY_FILE)
	$(WITH_KEY) $(BIN)/python scripts/serve.py

# the browser tests drive Debian's Chromium; installed here when missing (as root, from Debian's registry)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# the lake tests run a real PostgreSQL (Debian's server, started by the tests as the postgres user)
POSTGRES := /usr/lib/postgresql
$(POSTGRES):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null

test: lint $(CHROMIUM) $(POSTGRES)
	$(BIN)/python -m pytest

bench: setup $(PII_KEY_FILE) $(POSTGRES)
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_indicators.py
	$(WITH_KEY) $(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_attacks.py
	$(BIN)/python benchmarks/bench_real_files.py
	$(BIN)/python benchmarks/bench_lake.py

bench-national: setup $(POSTGRES)
	$(BIN)/python benchmarks/bench_lake.py --national

clean:
	rm -rf $(VENV) data/warehouse data/archive data/inbox data/demo data/reference $(DEMO_LOADED)
