# The two commands of the quick start: `make acceptance` and `make test`.
# Each creates the virtual environment and installs the pinned dependencies when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BEHAVE_ARGS ?=

COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)

.PHONY: install acceptance unit test small-burst planted-faults example aws-offline-acceptance compose-inside up bench bench-engines parallel bench-parallel conformance images compose-acceptance clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned dependencies into $(VENV) (a few minutes on a fresh clone)..."
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e '.[dev]'
	# Earlier versions of this project installed a Cucumber formatter whose metadata conflicts
	# with our behave pin; the project now has its own, so an old one goes.
	$(BIN)/python -m pip uninstall --yes --quiet behave-cucumber-formatter 2>/dev/null || true
	$(BIN)/python -m pip check
	touch $(INSTALLED)

install: $(INSTALLED)

## The acceptance suite on the embedded stack (no Docker needed), split across behave processes
## (harness/behave/acceptance.py; PROCESSES=N to choose how many), reported as one run.
acceptance: $(INSTALLED)
	$(BIN)/python -m harness acceptance --processes $(or $(PROCESSES),auto) $(BEHAVE_ARGS)

## The harness, apps and stand-in, tested alone.
unit: $(INSTALLED)
	$(BIN)/python -m pytest

## Every test: unit tests, the acceptance suite as `make acceptance` runs it (split across
## processes), the same suite in one behave process (as `behave` alone runs it), the same suite on
## the aws stack through moto's proxy (no account, no endpoint URL), a small burst at real timings,
## the second pipeline, then the browser checks of the reports those runs wrote; fails if any
## fails, and (for the whole suite) if any ran fewer tests or skipped more than
## tests/expected-runs.json expects, or left a report older than the run.
test: $(INSTALLED)
	status=0; started=$$(date +%s); \
	$(BIN)/python -m pytest -k "not last_" --junitxml=reports/pytest/junit.xml || status=1; \
	$(BIN)/python -m harness acceptance $(BEHAVE_ARGS) || status=1; \
	$(BIN)/behave -D reports_dir=reports/serial $(BEHAVE_ARGS) || status=1; \
	$(BIN)/python -m harness offline-aws -D reports_dir=reports/aws-offline $(BEHAVE_ARGS) || status=1; \
	$(MAKE) --no-print-directory small-burst || status=1; \
	$(MAKE) --no-print-directory example || status=1; \
	REPORTS_MUST_EXIST=1 REPORTS_NEWER_THAN=$$started $(BIN)/python -m pytest -q tests/test_report_browser.py -k last_ || status=1; \
	if [ -z "$(BEHAVE_ARGS)" ]; then \
	  $(BIN)/python -m harness expect-runs tests/expected-runs.json --since $$started || status=1; \
	else echo "expect-runs: not checked, BEHAVE_ARGS narrows the suites"; fi; \
	exit $$status

## A burst of 20 requests at real timings, none lost or done twice: CI's share of the @load
## scenarios (a few seconds; `timeout` bounds it should a drain hang past its own deadline).
small-burst: $(INSTALLED)
	timeout --signal=TERM 300 $(BIN)/behave --tags=@small_burst -D LOAD_TESTS=on -D TIME_SCALE=1 \
	  -D reports_dir=reports/small-burst -f progress

## Plant each fault of bench/planted_faults.json in a copy of the tree, run the suites that should
## catch it, print what caught each and the score (not part of `make test`: about half an hour).
planted-faults: $(INSTALLED)
	$(BIN)/python bench/planted_faults.py $(FAULTS)

## The second pipeline (examples/order-approval): its own declaration, app and features on the harness.
example: $(INSTALLED)
	cd examples/order-approval && ../../$(BIN)/python -m harness check && ../../$(BIN)/behave

## The acceptance suite on the aws stack, against moto reached through HTTPS_PROXY: no account needed.
aws-offline-acceptance: $(INSTALLED)
	$(BIN)/python -m harness offline-aws -D reports_dir=reports/aws-offline $(BEHAVE_ARGS)

## The compose stack's image, built with no image registry: a local Debian base, wheels from PyPI.
images: $(INSTALLED)
	command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
	docker/make-base-image.sh
	PYTHON=$(BIN)/python docker/download-wheels.sh
	BASE_IMAGE=sec-pipeline/base:bookworm WHEELS=local $(COMPOSE) build

## The same acceptance suite on the compose stack (build the image first: `make images`).
compose-acceptance: $(INSTALLED)
	$(BIN)/behave -D stack=compose $(BEHAVE_ARGS)

## The suite inside the compose stack (the acceptance service), as a user without Python would run it;
## then the scenarios that need the Docker socket, in the opt-in app-faults profile. The suite runs as
## the image's user (uid 10001), so its reports directory is made writable for it.
compose-inside:
	install -d reports/compose-inside && chmod a+rwx reports/compose-inside
	status=0; \
	$(COMPOSE) up --exit-code-from acceptance acceptance || status=1; \
	DOCKER_GID=$$(stat -c %g /var/run/docker.sock) $(COMPOSE) --profile app-faults \
	    up --exit-code-from acceptance-app-faults acceptance-app-faults || status=1; \
	$(COMPOSE) --profile app-faults down --volumes --remove-orphans; \
	exit $$status

## Start the embedded stack and keep it up; Ctrl-C stops it.
up: $(INSTALLED)
	$(BIN)/python -m harness up

## Print start-up, latency and throughput figures.
bench: $(INSTALLED)
	$(BIN)/python bench/bench.py --stacks $(or $(STACKS),embedded)

## The same three-callback machine on plain moto and on the project's emulator, side by side.
bench-engines: $(INSTALLED)
	$(BIN)/python bench/engines.py

## The suite split across N behave processes (N=2 by default); their reports merged (HTML, JUnit, Cucumber).
parallel: $(INSTALLED)
	$(BIN)/python -m harness parallel -n $(or $(N),2) $(BEHAVE_ARGS)

bench-parallel: $(INSTALLED)
	$(BIN)/python bench/parallel.py

## The engine against 691 executions recorded on real AWS, beside plain moto.
conformance: $(INSTALLED)
	$(BIN)/python bench/conformance.py

clean:
	rm -rf reports
