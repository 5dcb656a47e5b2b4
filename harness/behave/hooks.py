"""behave hooks for any pipeline: settings, the stack as a fixture, failure details.

``environment.py`` stays thin and calls these. The stack is a behave fixture, so it is torn
down after ``after_all`` whatever happened, a failed scenario or a Ctrl-C included.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from behave import fixture, use_fixture

from harness.behave.cucumber_json import write_cucumber_into
from harness.behave.gates import skip_reason
from harness.behave.junit import use_run_junit
from harness.behave.reporting import ReportCollector, coverage_minimum
from harness.behave.summary import use_wall_clock_summary
from harness.behave.run_folder import clear_run_outputs, partial_reasons, run_reports_dir
from harness.behave.run_tally import RunTally
from harness.redaction import install_log_redaction
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
    use_wall_clock_summary(context.config)
    settings = load_settings(project_dir, context.config.userdata)
    context.config.setup_logging(level=logging.INFO)
    install_log_redaction()
    minimum = coverage_minimum(settings)  # a bad value stops the run before anything starts
    # python -m harness parallel asks its workers for their records, to merge their reports into one.
    part_of_parallel = (settings.get("KEEP_RUN_RECORD") or "").lower() == "yes"
    # Read before anything runs: what the tags, names and locations selected. A process of a split
    # run may be dealt only scenarios its stack skips: its parent checks that something ran at all.
    context.run_tally = RunTally(context._runner.features, context.config, share=part_of_parallel)
    narrowed = [] if part_of_parallel else partial_reasons(context.config)
    reports_dir = run_reports_dir(settings.reports_dir, bool(narrowed))
    clear_run_outputs(reports_dir)
    # Logs, JUnit and the rest go to the run's own folder.
    context.settings = dataclasses.replace(settings, reports_dir=reports_dir)
    use_run_junit(context.config, reports_dir / "junit")
    write_cucumber_into(context._runner, reports_dir)
    context.stack = use_fixture(running_stack, context)
    machine = context.stack.pipeline.state_machine
    context.report = ReportCollector(
        reports_dir,
        f"Acceptance report: {machine.name}",
        machine.definition,
        context.stack.name,
        keep_record=part_of_parallel,
        coverage_min=minimum,
        partial=narrowed,
        time_scale=context.settings.time_scale,
    )


def before_feature(context: Any, feature: Any) -> None:
    if hasattr(context, "report"):
        context.report.feature_started(feature)


def stopped_process_message(stopped: list[tuple[str, int | None, str]]) -> str:
    name, status, tail = stopped[0]
    others = f" (also stopped: {', '.join(n for n, _, _ in stopped[1:])})" if len(stopped) > 1 else ""
    return (
        f"the {name} process stopped during the run (exit status {status}){others}: the run stops here, "
        f"as every scenario after it would fail for the same reason. Last lines of its log:\n{tail}"
    )


def before_scenario(context: Any, scenario: Any) -> None:
    # A process of the stack that died (the emulator, an app) would fail every scenario that
    # follows with a connection error: stop the run once, saying which and why.
    stopped = context.stack.stopped_processes()
    if stopped:
        message = stopped_process_message(stopped)
        scenario.skip(f"the {stopped[0][0]} process had stopped")
        context.abort(reason=message)
        if hasattr(context, "report"):
            # behave captures what a hook prints: the run's last lines say it instead, and the report.
            context.report.run_stopped(message)
        return
    # Every execution a scenario looks at, for failure messages and reports.
    context.executions = []
    reason = skip_reason(set(scenario.effective_tags), context.settings, context.stack)
    if reason:
        context.run_tally.skipped_by_declaration(scenario, reason)
        scenario.skip(reason)


def after_scenario(context: Any, scenario: Any) -> None:
    # Runs before the scenario's fixtures are cleaned up, so what it left behind is still there.
    if hasattr(context, "report"):
        context.report.scenario_ended(context, scenario)


def after_all(context: Any) -> None:
    # A before_all that failed has said why; there is no report to write, and no second error.
    if not hasattr(context, "report"):
        return
    # The stack fixture stops after this, so the report is written whatever happened.
    context.report.write(context)
    if context.report.below_minimum:
        # behave counts a failed hook as a failed run: its exit status is then not 0.
        context._runner.hook_failures += 1
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
