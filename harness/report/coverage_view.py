"""The run's state-machine coverage as the report shows it: the machine, covered parts drawn as
taken, and what no scenario takes in words."""

from __future__ import annotations

import html
import json
from pathlib import Path

from harness.files import write_whole
from harness.report.path import PathOverlay, RetryOutcome, StateOutcome
from harness.report.records import RunRecord
from harness.statemachine.coverage import Coverage, coverage_of
from harness.statemachine.model import parse_machine

COVERAGE_FILE = "coverage.json"


def run_coverage(run: RunRecord) -> Coverage | None:
    """Coverage of the run's state machine by every execution its scenarios looked at."""
    if not run.definition:
        return None
    return coverage_of(
        parse_machine(run.definition),
        ((scenario.name, report) for scenario in run.scenarios() for report in scenario.extras.executions),
    )


def write_coverage(coverage: Coverage, reports_dir: Path) -> Coverage:
    """``coverage.json`` in the reports folder (the console's last lines say the figures)."""
    write_whole(reports_dir / COVERAGE_FILE, json.dumps(coverage.as_json(), indent=1))
    return coverage


def coverage_overlay(coverage: Coverage) -> PathOverlay:
    overlay = PathOverlay(status="SUCCEEDED")
    for name, scenarios in coverage.states.items():
        if scenarios:
            count = len(scenarios)
            overlay.outcomes[name] = StateOutcome(
                order=(), attempts=1, failures=(), failed=False,
                caption=f"{count} scenario{'s' if count != 1 else ''}",
            )
    overlay.taken = {edge for edge, scenarios in coverage.transitions.items() if scenarios}
    overlay.retries = {
        key: RetryOutcome(
            len(scenarios),
            errors=tuple(sorted(coverage.retry_errors.get(key, ()))),
            caption=f"{len(scenarios)} scenario{'s' if len(scenarios) != 1 else ''}",
        )
        for key, scenarios in coverage.retries.items()
        if scenarios
    }
    return overlay


def coverage_html(coverage: Coverage, diagram: str) -> str:
    """The coverage section; ``diagram`` is the machine drawn with ``coverage_overlay``."""
    if not coverage.executions:
        # The run's scenarios followed no execution's path (a burst counts runs by status): 0% and
        # every state listed as not taken would say its executions took no state.
        return (
            '<section id="coverage"><h2>State machine coverage</h2>'
            '<p class="meta">Not measured: no scenario of this run followed an execution\'s path.</p>'
            f'<div class="execution-body">{diagram}</div></section>'
        )
    figures = coverage.figures()
    cells = "".join(
        f'<div><b>{f["percent"]:g}%</b>{esc(name)} ({f["covered"]}/{f["total"]})</div>' for name, f in figures.items()
    )
    uncovered = coverage.uncovered()
    listing = (
        "<p>Every state, transition and retry rule is taken by at least one scenario.</p>"
        if not uncovered
        else '<h3>Not taken by any scenario</h3><ul class="uncovered">'
        + "".join(f"<li>{esc(line)}</li>" for line in uncovered)
        + "</ul>"
    )
    return (
        '<section id="coverage"><h2>State machine coverage</h2>'
        f'<p class="meta">From {coverage.executions} execution(s) of this run.</p>'
        f'<div class="summary">{cells}</div>{COVERAGE_LEGEND}'
        f'<div class="execution-body">{diagram}<div class="side">{listing}</div></div></section>'
    )


COVERAGE_LEGEND = (
    '<div class="legend coverage-legend">'
    '<span><i class="line" style="border-color:#1b7f3b"></i>transition taken by a scenario</span>'
    '<span><i class="line" style="border-color:#b00020"></i>Catch taken</span>'
    '<span><i class="line" style="border-color:#b26a00"></i>Retry rule that fired</span>'
    '<span><i class="line" style="border-color:#c8c8c8;border-top-style:dashed"></i>taken by no scenario</span>'
    '<span><i style="background:#f4f4f4;border-color:#b8b8b8;border-style:dashed"></i>state no scenario entered</span>'
    "</div>"
)


def esc(value: object) -> str:
    return html.escape(str(value))
