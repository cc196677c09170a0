# Two commands do everything on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
# SAM builds for the Lambda runtime (python3.13); pyenv's 3.13 is put on PATH when present.
PY313 := $(shell pyenv prefix 3.13.0 2>/dev/null || pyenv prefix 3.13 2>/dev/null)
PORT ?= 3000

.PHONY: install serve invoke test test-py313 lint scan unit handlers integration bench build tenant validate openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[render,dev]"
	touch $@

install: $(VENV)/.installed

serve: install
	$(BIN)/python -m devserver --port $(PORT)

# `sam local invoke` without Docker, against the running local stack (`make serve` in another terminal).
invoke: install
	@test -n "$(FUNCTION)" -a -n "$(EVENT)" || \
	  (echo "usage: make invoke FUNCTION=FinalizeInvoiceFunction EVENT=events/finalize_invoice.json" >&2; exit 2)
	@$(BIN)/python -m devserver.invoke "$(FUNCTION)" "$(EVENT)"

# Debian's Chromium, for the invoice page's browser test: installed when missing (as root, or by sudo).
# Defined before the rule that needs it: make reads a rule's prerequisites as it meets them.
CHROMIUM := /usr/bin/chromium

# SAM CLI's venv: tests/unit/test_template.py expands the template with its translator.
test: install lint scan $(CHROMIUM) $(SAM_VENV)/.installed
	$(BIN)/pytest -n 2 --dist loadgroup

$(CHROMIUM):
	$(if $(filter 0,$(shell id -u)),,sudo) sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	for handler in functions/*/*.py; do $(BIN)/mypy "$$handler" || exit 1; done
	$(BIN)/cfn-lint template.yaml
	$(BIN)/lint-imports
	@# bandit on what runs (the package, the handlers, the local stack); what it cannot tell apart is
	@# marked `# nosec` with the reason, and its notes on those marks are left out.
	$(BIN)/bandit -q -r layers/shared functions devserver 2>&1 | { grep -v 'nosec encountered' || true; }; exit $${PIPESTATUS[0]}
	$(BIN)/python -m invoicing.api.openapi_build --check

# The Lambda runtime's Python (pyenv's 3.13 here): the tests that need no local stack.
VENV313 := .venv-313
test-py313: $(SAM_VENV)/.installed
	@test -n "$(PY313)" || (echo "no Python 3.13 from pyenv on this machine" >&2; exit 2)
	test -x $(VENV313)/bin/python || $(PY313)/bin/python -m venv $(VENV313)
	$(VENV313)/bin/pip install --quiet -e ".[render,dev]"
	$(VENV313)/bin/python -m pytest tests/unit tests/handlers -n 2 -p no:cacheprovider

unit handlers integration: install
	$(BIN)/pytest tests/$@

openapi: install
	$(BIN)/python -m invoicing.api.openapi_build

# The layers' sizes are those `make build` makes.
bench: install build
	$(BIN)/python -m bench

# A tenant on the running local stack (`make serve` in another terminal): prints its API key.
tenant: install
	@test -n "$(NAME)" || (echo "usage: make tenant NAME=acme" >&2; exit 2)
	@test -f .devserver/env || (echo "start the local stack first: make serve" >&2; exit 2)
	@set -a && . ./.devserver/env && set +a && $(BIN)/invoicing tenant create --name "$(NAME)"

# checkov on the template, in a venv of its own (it pins its own boto3, as SAM CLI does): every
# check passes, or is skipped in the resource's Metadata with the reason. Offline: no platform
# mappings, no downloads.
CHECKOV_VENV := .venv-checkov
$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet "checkov>=3.3,<4"
	touch $@

scan: $(CHECKOV_VENV)/.installed
	BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download \
	  --framework cloudformation -f template.yaml

$(SAM_VENV)/.installed:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet aws-sam-cli
	touch $@

validate: $(SAM_VENV)/.installed
	AWS_DEFAULT_REGION=eu-west-3 $(SAM_VENV)/bin/sam validate --lint --template template.yaml

BUILT := .aws-sam/build
build: $(SAM_VENV)/.installed validate
	PATH="$(if $(PY313),$(PY313)/bin:)$$PATH" AWS_DEFAULT_REGION=eu-west-3 \
	  $(SAM_VENV)/bin/sam build --template template.yaml --build-dir $(BUILT)
	@# The artifacts are what Lambda needs: package data, arm64 cp313 binaries, the renderer apart.
	test -f $(BUILT)/SharedLayer/python/invoicing/api/openapi.json
	test -f $(BUILT)/SharedLayer/python/invoicing/rendering/assets/DejaVuSans.ttf
	test -f $(BUILT)/SharedLayer/python/invoicing/rendering/templates/document.html
	ls $(BUILT)/SharedLayer/python/pydantic_core/*cpython-313-aarch64-linux-gnu.so
	test -d $(BUILT)/RenderLayer/python/xhtml2pdf
	test -d $(BUILT)/RenderLayer/python/facturx
	ls $(BUILT)/RenderLayer/python/lxml/etree*cpython-313-aarch64-linux-gnu.so
	test ! -e $(BUILT)/SharedLayer/python/xhtml2pdf
	test ! -e $(BUILT)/RenderLayer/python/saxonche
	for function in $(BUILT)/*Function; do test -f $$function/app.py; done
	PATH="$(if $(PY313),$(PY313)/bin:)$$PATH" python3.13 layers/check.py $(BUILT)

clean:
	rm -rf $(VENV) $(SAM_VENV) $(CHECKOV_VENV) $(VENV313) .aws-sam .devserver .pytest_cache .mypy_cache .ruff_cache
