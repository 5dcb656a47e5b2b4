"""The report side of the behave hooks: gather each scenario's extras, write the reports at the end.

The pipeline side may set two callbacks on the context, both optional:

    context.left_behind   () -> JSON-like   what the scenario left in the stack (keys, items)
    context.failure_logs  () -> {app: text} the tails of the logs that explain a failure

Nothing here may fail a test run: a problem becomes a note in the report and a log line.
"""

from __future__ import annotations

import atexit
import json
import logging
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from harness.files import write_whole
from harness.behave.allure_attachments import attach_quietly
from harness.behave.timings import TIMINGS_FILE, timings_of, update_timings
from harness.redaction import redact
from harness.report.coverage_junit import not_measured, shortfalls, write_coverage_junit
from harness.report.coverage_view import run_coverage, write_coverage
from harness.report.html import report_html
from harness.report.record_file import save_run_record
from harness.report.records import (
    FAILED,
    RunRecord,
    ScenarioExtras,
    feature_record,
    scenario_key,
    status_name,
)
from harness.report.render import INSTALL_HINT, dot_executable
from harness.report.sanitize import redacted
from harness.settings import Settings, SettingsError
from harness.statemachine.coverage import Coverage
from harness.statemachine.model import parse_machine

log = logging.getLogger(__name__)

REPORT_FILE = "report.html"


def coverage_minimum(settings: Settings) -> float | None:
    """``-D coverage_min=N`` (percent): a run whose state-machine coverage is below it fails."""
    value = settings.get("COVERAGE_MIN")
    if value is None:
        return None
    try:
        minimum = float(value)
    except ValueError:
        raise SettingsError(f"coverage_min must be a percentage from 0 to 100, got {value!r}") from None
    if not 0 <= minimum <= 100:
        raise SettingsError(f"coverage_min must be a percentage from 0 to 100, got {value!r}")
    return minimum


def closing_lines(
    coverage: Coverage | None, minimum: float | None, report: Path | None, graphviz: bool = True
) -> list[str]:
    """What the console says last, after behave's summary: coverage, its verdict, a missing
    Graphviz (once, with how to install it), the report."""
    lines = []
    if coverage is not None:
        lines.append(coverage.summary())
        below = shortfalls(coverage, minimum)
        if below and not coverage.executions:
            lines.append(f"FAILED: {not_measured(minimum or 0)}")
        elif below:
            lines.append(
                f"FAILED: state machine coverage is below the minimum of {minimum:g}% "
                f"({', '.join(f'{name} {percent:g}%' for name, percent in below.items())}); not taken by any scenario:"
            )
            lines.extend(f"  - {line}" for line in coverage.uncovered())
    if report is not None and not graphviz:
        lines.append(f"The report's diagrams are not drawn: Graphviz's dot was not found; {INSTALL_HINT}.")
    if report is not None:
        lines.append(f"HTML report: {report}")
    return lines


def _print_last(lines: list[str]) -> None:
    # On stdout, where behave's summary is, and after it: these are the run's last lines.
    sys.stdout.flush()
    sys.stdout.write("\n" + "\n".join(lines) + "\n")
    sys.stdout.flush()


class ReportCollector:
    def __init__(
        self,
        reports_dir: Path,
        title: str,
        definition_path: Path | None,
        stack_name: str,
        keep_record: bool = False,
        coverage_min: float | None = None,
        partial: list[str] | None = None,
        time_scale: float = 1.0,
    ) -> None:
        self.reports_dir = reports_dir
        self.title = title
        self.definition_path = definition_path
        self.stack_name = stack_name
        # Also save the report's data, for a process that merges several runs into one report.
        self.keep_record = keep_record
        self.coverage_min = coverage_min
        # What narrowed the run to part of the suite (tags, paths): said on the report.
        self.partial = partial or []
        self.below_minimum = False
        self.time_scale = time_scale
        self.stopped: str | None = None
        definition = _definition(definition_path)
        self.machine = parse_machine(definition) if definition else None
        self.started = datetime.now().astimezone()
        self._clock = time.monotonic()
        self.extras: dict[str, ScenarioExtras] = {}
        self.features_seen: list[Any] = []

    def run_stopped(self, message: str) -> None:
        """The run was stopped early, and why: said in the report and the console's last lines."""
        self.stopped = redact(message)

    def feature_started(self, feature: Any) -> None:
        # Fallback only: behave's runner knows every feature, the skipped ones too.
        self.features_seen.append(feature)

    def scenario_ended(self, context: Any, scenario: Any) -> None:
        extras = ScenarioExtras(executions=list(getattr(context, "executions", []) or []))
        attach_quietly(extras.executions, self.machine, self.time_scale)
        extras.left_behind = _call(context, "left_behind", extras.notes)
        failed = status_name(scenario) in FAILED
        if failed:
            tails = _call(context, "failure_logs", extras.notes)
            extras.log_tails = {str(app): redact(str(text)) for app, text in (tails or {}).items()}
            _log_failure(scenario, extras)
        self.extras[scenario_key(scenario)] = extras

    def run_record(self, context: Any) -> RunRecord:
        runner = getattr(context, "_runner", None)
        features = list(getattr(runner, "features", None) or self.features_seen)
        record = RunRecord(
            title=self.title,
            stack=self.stack_name,
            started=self.started,
            duration_s=time.monotonic() - self._clock,
            features=[feature_record(feature, self.extras) for feature in features],
            definition=_definition(self.definition_path),
            time_scale=self.time_scale,
        )
        if self.stopped:
            record.notes.append(f"The run stopped early: {self.stopped}")
        if self.partial:
            record.notes.append(f"Partial run ({'; '.join(self.partial)}): the last whole run's report is in {self.reports_dir.parent}.")
        return record

    def write(self, context: Any) -> Path | None:
        target = self.reports_dir / REPORT_FILE
        coverage = None
        try:
            self.reports_dir.mkdir(parents=True, exist_ok=True)
            record = self.run_record(context)
            coverage = run_coverage(record)
            write_whole(target, report_html(record, coverage=coverage))
            if self.keep_record:
                save_run_record(record, self.reports_dir)
            if coverage is not None:
                write_coverage(coverage, self.reports_dir)
                self.below_minimum = bool(shortfalls(coverage, self.coverage_min))
                if getattr(context.config, "junit", False):
                    write_coverage_junit(coverage, Path(context.config.junit_directory), self.coverage_min)
            # For the next parallel run's dealing (harness/behave/timings.py).
            update_timings(self.reports_dir / TIMINGS_FILE, timings_of(record))
        except Exception:  # noqa: BLE001 - the report must never fail the run it reports on
            log.exception("could not write the HTML report %s", target)
            target = None
        lines = closing_lines(coverage, self.coverage_min, target, graphviz=dot_executable() is not None)
        if not self.keep_record:  # a parallel run's worker: its parent says the merged run's last lines
            atexit.register(_print_last, ([f"RUN STOPPED: {self.stopped}"] if self.stopped else []) + lines)
        return target


def _call(context: Any, name: str, notes: list[str]) -> Any:
    callback = getattr(context, name, None)
    if not callable(callback):
        return None
    try:
        return redacted(callback())
    except Exception as exc:  # noqa: BLE001 - a stack that is down must not hide the scenario's result
        notes.append(redact(f"could not collect {name.replace('_', ' ')}: {type(exc).__name__}: {exc}"))
        return None


def _definition(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("the report draws no diagram: cannot read %s: %s", path, exc)
        return None


def _failing_text(scenario: Any) -> str:
    for step in getattr(scenario, "all_steps", scenario.steps):
        if getattr(step, "error_message", None):
            return str(step.error_message)
    return str(getattr(scenario, "error_message", "") or "")


def _log_failure(scenario: Any, extras: ScenarioExtras) -> None:
    """Put on the console what the failing assertion did not already say: path, failure, log tails."""
    said = _failing_text(scenario)
    lines = []
    for report in extras.executions:
        summary = report.summary()
        if summary not in said:
            lines.append(summary)
    for app, tail in extras.log_tails.items():
        if tail.strip() and tail.strip().splitlines()[-1] not in said:
            lines.append(f"--- last lines of the {app} log ---\n{tail}")
    if lines:
        log.error("scenario %r failed:\n%s", scenario.name, redact("\n".join(lines)))
