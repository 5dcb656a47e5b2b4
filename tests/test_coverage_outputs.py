"""The run's state-machine coverage where CI and people read it: JUnit, the console's last lines,
a minimum that fails the run, and a drawing that tells covered from uncovered."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.behave.reporting import closing_lines, coverage_minimum
from harness.report.coverage_junit import write_coverage_junit
from harness.report.coverage_view import coverage_html, coverage_overlay
from harness.report.dot import machine_dot
from harness.report.path import overlay
from harness.settings import SettingsError, load_settings
from harness.statemachine.coverage import coverage_of
from harness.statemachine.executions import ExecutionReport, StateVisit
from harness.statemachine.model import parse_machine
from tests.report_samples import DEFINITION, happy, throttled_then_recovered, unknown_company

MACHINE = parse_machine(DEFINITION)


def _coverage():
    return coverage_of(MACHINE, [("happy", happy()), ("unknown", unknown_company())])


def test_the_junit_suite_carries_the_figures_as_properties_and_passes_without_a_minimum(tmp_path: Path) -> None:
    coverage = _coverage()
    suite = ET.parse(write_coverage_junit(coverage, tmp_path, None)).getroot()
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    figures = coverage.figures()
    assert properties["transitions.covered"] == str(figures["transitions"]["covered"])
    assert properties["transitions.percent"] == f"{figures['transitions']['percent']:g}"
    assert suite.get("failures") == "0" and len(suite.findall("testcase")) == 3


def test_below_the_minimum_each_short_measure_is_a_failed_case_naming_what_is_uncovered(tmp_path: Path) -> None:
    suite = ET.parse(write_coverage_junit(_coverage(), tmp_path, 100)).getroot()
    failures = [case.find("failure") for case in suite.findall("testcase") if case.find("failure") is not None]
    assert suite.get("failures") == str(len(failures)) and failures
    assert "from Ingest, the catch States.ALL to IngestFailed is never taken" in failures[0].text


def test_the_console_ends_with_the_figures_the_verdict_and_the_report() -> None:
    lines = closing_lines(_coverage(), 100, Path("reports/report.html"))
    assert lines[0].startswith("state machine coverage: states")
    assert lines[1].startswith("FAILED: state machine coverage is below the minimum of 100%")
    assert "  - the state IngestFailed is never entered" in lines
    assert lines[-1] == "HTML report: reports/report.html"
    assert not any(line.startswith("FAILED") for line in closing_lines(_coverage(), 0, None))


def test_a_run_whose_scenarios_followed_no_execution_says_so_instead_of_zero_coverage() -> None:
    # A scenario that counts runs by their status (a burst, say) follows no run's path: the run's
    # executions took states, but no scenario looked at which.
    coverage = coverage_of(MACHINE, [])
    totals = {name: f["total"] for name, f in coverage.figures().items()}
    assert closing_lines(coverage, None, None) == [
        "state machine coverage: not measured, no scenario of this run followed an execution's path "
        f"(the machine has {totals['states']} states, {totals['transitions']} transitions "
        f"and {totals['retries']} Retry rules)"
    ]


def test_a_minimum_without_any_execution_followed_fails_as_not_measured_not_as_zero(tmp_path: Path) -> None:
    coverage = coverage_of(MACHINE, [])
    lines = closing_lines(coverage, 80.0, None)
    assert lines[1:] == ["FAILED: a state machine coverage minimum of 80% is set, but no scenario of this run "
                         "followed an execution's path: coverage was not measured"]
    suite = ET.parse(write_coverage_junit(coverage, tmp_path, 80.0)).getroot()
    failures = [f.get("type") for f in suite.iter("failure")]
    assert failures and set(failures) == {"CoverageNotMeasured"} and suite.get("failures") == str(len(failures))
    assert not any((f.text or "").strip() for f in suite.iter("failure")), "no list of states 'not taken'"


def test_the_report_says_coverage_was_not_measured_when_no_execution_was_followed() -> None:
    section = coverage_html(coverage_of(MACHINE, []), "<svg></svg>")
    assert "Not measured: no scenario of this run followed an execution's path." in section
    assert "0%" not in section and "Not taken by any scenario" not in section


@pytest.mark.parametrize("value", ["lots", "101", "-1"])
def test_a_coverage_minimum_that_is_no_percentage_is_refused_by_name(value: str) -> None:
    with pytest.raises(SettingsError, match="coverage_min must be a percentage"):
        coverage_minimum(load_settings(".", {"coverage_min": value}, environ={}))


def test_each_retry_rule_is_its_own_loop_and_the_one_that_fired_names_its_error() -> None:
    report = ExecutionReport(
        "arn:x:execution:m:hb", "SUCCEEDED", {}, {}, None, None,
        [StateVisit("Ingest", "Task", happy().path[0].entered, failures=[("States.HeartbeatTimeout", "")], succeeded=True)]
        + happy().path[1:],
    )
    dot = machine_dot(MACHINE, overlay(MACHINE, report))
    fetch_loops = [line for line in dot.splitlines() if 'class="retry' in line and line.startswith('  "FetchFiling":')]
    # One loop per rule, each on its own side of the state.
    assert [line.split(" -> ")[0].strip() for line in fetch_loops] == ['"FetchFiling":e', '"FetchFiling":w']
    taken = [line for line in dot.splitlines() if 'class="retry taken"' in line]
    assert len(taken) == 1 and '"Ingest":e' in taken[0] and "retried 1× on States.HeartbeatTimeout" in taken[0]


def test_covered_and_uncovered_edges_are_drawn_apart_catch_and_retry_included() -> None:
    coverage = coverage_of(MACHINE, [("throttled", throttled_then_recovered()), ("unknown", unknown_company())])
    dot = machine_dot(MACHINE, coverage_overlay(coverage), "coverage")
    edge = {line.split(" [")[0].strip(): line for line in dot.splitlines() if " -> " in line}
    assert 'class="transition catch taken"' in edge['"FetchFiling" -> "FetchFilingFailed"']
    assert 'style="solid"' in edge['"FetchFiling" -> "FetchFilingFailed"']
    assert 'class="transition catch untaken"' in edge['"Ingest" -> "IngestFailed"']
    assert 'style="dashed"' in edge['"Ingest" -> "IngestFailed"']
    retry_loops = [line for line in dot.splitlines() if 'class="retry' in line and line.startswith('  "FetchFiling":')]
    assert ['class="retry taken"' in line for line in retry_loops] == [True, False]
    assert "1 scenario" in retry_loops[0]


def test_a_fail_state_reached_is_drawn_as_a_failure_not_as_a_good_outcome() -> None:
    dot = machine_dot(MACHINE, overlay(MACHINE, unknown_company()))
    failed = next(line for line in dot.splitlines() if line.startswith('  "Failed" [') or line.startswith('"Failed" ['))
    assert "end-failed" in failed and 'color="#b00020"' in failed


def test_a_missing_graphviz_is_said_once_with_its_install_command_before_the_report_path() -> None:
    lines = closing_lines(None, None, Path("reports/report.html"), graphviz=False)
    assert len([line for line in lines if "Graphviz" in line]) == 1
    assert "apt-get install graphviz" in lines[-2] and lines[-1] == "HTML report: reports/report.html"
    assert not any("Graphviz" in line for line in closing_lines(None, None, Path("r.html"), graphviz=True))
