# Two commands: `make run` and `make test`. Both create .venv and install what they need,
# at the exact versions in uv.lock (`make lock` updates it after a change to pyproject.toml).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# uv from PATH, else a private copy that pip installs on first use: a fresh machine only needs
# python3 and pip.
UV_VERSION := 0.13.9
UV_BOOTSTRAP := .tools/uv
UV ?= $(or $(shell command -v uv 2>/dev/null),$(UV_BOOTSTRAP)/bin/uv)
# uv uses a Python that is on the machine, never one it downloads.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# pytest workers: one per core. The slow simulations go first (tests/conftest.py).
JOBS ?= auto

.PHONY: run test test-fast lint typecheck unit lock system-deps bench clean

$(UV_BOOTSTRAP)/bin/uv:
	python3 -m pip install -q --disable-pip-version-check --target $(UV_BOOTSTRAP) "uv==$(UV_VERSION)"

# --locked: install exactly uv.lock (the project itself editable) and fail when the lock no
# longer matches pyproject.toml. Bytecode is compiled once here, not in every test subprocess.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra dev --compile-bytecode
	touch $(STAMP)

lock: | $(UV)
	$(UV) lock

# System libraries (PostgreSQL server for the tests, Pango for PDF) when they are missing.
system-deps:
	@sh scripts/system-deps.sh

run: $(STAMP)
	$(PY) -m bot run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/hadolint Dockerfile

typecheck: $(STAMP)
	$(VENV)/bin/mypy bot storage jobs handlers

unit: $(STAMP)
	$(VENV)/bin/pytest -n $(JOBS) --maxschedchunk=1

test: system-deps lint typecheck unit

# The inner loop: SQLite only, no slow simulations, no PostgreSQL.
test-fast: $(STAMP)
	$(VENV)/bin/pytest -n $(JOBS) --maxschedchunk=1 -m "not slow and not postgres"

# Every script in benchmarks/ (or BENCH=benchmarks/latency.py for one), each under a header; a
# failing script does not stop the others, the target fails at the end. Scripts that need nginx
# or PostgreSQL print one "skipped" line when they are not installed. See benchmarks/README.md.
BENCH ?= $(wildcard benchmarks/*.py)
bench: $(STAMP)
	@failed=""; for f in $(BENCH); do \
		echo "=== $$f ($$(date -u +%H:%M:%S), load $$(cut -d' ' -f1-3 /proc/loadavg))"; \
		$(PY) $$f || failed="$$failed $$f"; \
	done; \
	if [ -n "$$failed" ]; then echo "bench: failed:$$failed"; exit 1; fi

clean:
	rm -rf $(VENV) $(UV_BOOTSTRAP) .pytest_cache .mypy_cache .ruff_cache
