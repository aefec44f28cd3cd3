# Two commands set everything up: `make run` and `make test`.
# .venv is made with PYTHON, by default the newest Python from 3.11 up found
# here (scripts/find-python says which it accepts when there is none).
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
# The suite's arguments (make test-all PYTEST_ARGS=tests/unit runs a part).
PYTEST_ARGS ?=

.PHONY: run test test-all python-check bench lint format clean

$(BIN)/python:
	@python='$(PYTHON)'; [ -n "$$python" ] || python=$$(scripts/find-python) || exit 1; \
	"$$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	{ echo "$$python is not Python 3.11 or later, which kela-tui needs (PYTHON=/path/to/python3.11 or newer)." >&2; exit 1; }; \
	echo "Making $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# A .venv made with another Python than PYTHON= names is not used silently.
python-check:
	@[ ! -x $(BIN)/python ] || $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	{ echo "$(VENV) was made with a Python older than 3.11: make clean, then again." >&2; exit 1; }
	@[ -z '$(PYTHON)' ] || [ ! -x $(BIN)/python ] || \
	[ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" = \
	  "$$('$(PYTHON)' -c 'import sys; print(sys.version_info[:2])')" ] || \
	{ echo "$(VENV) was made with another Python than $(PYTHON): make clean, then again." >&2; exit 1; }

run: python-check $(VENV)/.installed
	scripts/ensure-system-packages pdf
	$(BIN)/kela-tui

test: python-check $(VENV)/.installed-test
	scripts/ensure-system-packages test
	@$(BIN)/python -c 'import sys; print("make test: Python", sys.version.split()[0], "($(VENV))")'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite on every Python from 3.11 up found here, each in its own
# .venv-X.Y; SKIP="3.13" leaves versions out (.ci/run: the one make test ran).
test-all:
	scripts/ensure-system-packages test
	SKIP='$(SKIP)' PYTEST_ARGS='$(PYTEST_ARGS)' scripts/test-all

bench: $(VENV)/.installed-test
	scripts/ensure-system-packages test
	for b in startup screens logging stats statement; do $(BIN)/python -m benchmarks.$$b || exit 1; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(VENV)-3.* .pytest_cache .ruff_cache
