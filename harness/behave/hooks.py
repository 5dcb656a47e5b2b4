"""behave hooks for any pipeline: settings, the stack as a fixture, failure details.

``environment.py`` stays thin and calls these. The stack is a behave fixture, so it is torn
down after ``after_all`` whatever happened, a failed scenario or a Ctrl-C included.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from behave import fixture, use_fixture

from harness.behave.gates import skip_reason
from harness.redaction import install_log_redaction
from harness.behave.reporting import ReportCollector
from harness.behave.run_tally import RunTally
from harness.settings import load_settings
from harness.stacks import Stack, open_stack


def _sigterm_as_interrupt(signum: int, frame: object) -> None:
    # behave tidies up after a KeyboardInterrupt; a plain SIGTERM would skip every cleanup.
    raise KeyboardInterrupt


@fixture
def running_stack(context: Any) -> Iterator[Stack]:
    stack = open_stack(context.settings)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def before_all(context: Any, project_dir: Path) -> None:
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    context.settings = load_settings(project_dir, context.config.userdata)
    context.config.setup_logging(level=logging.INFO)
    install_log_redaction()
    # Read before anything runs: what the tags, names and locations selected.
    context.run_tally = RunTally(context._runner.features, context.config)
    context.stack = use_fixture(running_stack, context)
    machine = context.stack.pipeline.state_machine
    context.report = ReportCollector(
        context.settings.reports_dir,
        f"Acceptance report: {machine.name}",
        machine.definition,
        context.stack.name,
        # python -m harness parallel asks its workers for their records, to merge their reports into one.
        keep_record=(context.settings.get("KEEP_RUN_RECORD") or "").lower() == "yes",
    )


def before_feature(context: Any, feature: Any) -> None:
    context.report.feature_started(feature)


def before_scenario(context: Any, scenario: Any) -> None:
    # Every execution a scenario looks at, for failure messages and reports.
    context.executions = []
    reason = skip_reason(set(scenario.effective_tags), context.settings, context.stack)
    if reason:
        context.run_tally.skipped_by_declaration(scenario, reason)
        scenario.skip(reason)


def after_scenario(context: Any, scenario: Any) -> None:
    # Runs before the scenario's fixtures are cleaned up, so what it left behind is still there.
    context.report.scenario_ended(context, scenario)


def after_all(context: Any) -> None:
    # The stack fixture stops after this, so the report is written whatever happened.
    context.report.write(context)
    # Raised here, behave counts a hook failure and exits 1: a run that checked less than it
    # selected, or nothing at all, is red.
    context.run_tally.check(context.run_tally.write(context.settings.reports_dir, context.stack.name))


def hooks_for(project_dir: Path) -> dict[str, Any]:
    """Every hook, bound to the pipeline's folder: an ``environment.py`` that needs nothing of its
    own is ``globals().update(hooks_for(PROJECT_DIR))``."""
    return {
        "before_all": lambda context: before_all(context, project_dir),
        "before_feature": before_feature,
        "before_scenario": before_scenario,
        "after_scenario": after_scenario,
        "after_all": after_all,
    }
