"""The report's builders alone: graph, path overlay, DOT, timeline, redaction, HTML."""

from __future__ import annotations

import re

import pytest

from harness.statemachine.model import all_states, parse_machine
from harness.report.dot import machine_dot
from harness.report.html import report_html
from harness.report.path import overlay, visit_attempts
from harness.report.render import Rendered, dot_executable, render_svg
from harness.report.sanitize import redacted
from harness.report.timeline import timeline_html
from tests.report_samples import DEFINITION, sample_run, throttled_then_recovered, unknown_company

MACHINE = parse_machine(DEFINITION)
STATE_COUNT = len(DEFINITION["States"])


def test_every_state_and_transition_of_the_definition_is_in_the_graph():
    assert [s.name for s in all_states(MACHINE)] == list(DEFINITION["States"])
    kinds = {(t.source, t.target): t.kind for t in MACHINE.transitions}
    assert kinds[("Ingest", "FetchFiling")] == "next"
    assert kinds[("FetchFiling", "FetchFilingFailed")] == "catch"
    assert [r.max_attempts for r in next(s for s in MACHINE.states if s.name == "FetchFiling").retries] == [3, 2]


def test_nested_machines_become_clusters():
    definition = {
        "StartAt": "Fan",
        "States": {
            "Fan": {"Type": "Parallel", "End": True, "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}]}
        },
    }
    machine = parse_machine(definition)
    assert [s.name for s in all_states(machine)] == ["Fan", "A"]
    assert 'subgraph "cluster_Fan_Branches_0_"' in machine_dot(machine)


def test_a_caught_failure_is_one_failed_attempt_and_the_catch_is_the_edge_taken():
    drawn = overlay(MACHINE, unknown_company())
    assert drawn.outcomes["FetchFiling"].failed and drawn.outcomes["FetchFiling"].attempts == 1
    assert ("FetchFiling", "FetchFilingFailed", "catch") in drawn.taken
    assert not drawn.visited("Validate")


def test_retries_that_recover_count_every_attempt():
    assert visit_attempts(MACHINE, throttled_then_recovered()) == [1, 3, 1, 1]
    dot = machine_dot(MACHINE, overlay(MACHINE, throttled_then_recovered()))
    assert "retried 2×" in dot and 'class="retry taken"' in dot


def test_the_dot_source_marks_visited_failed_and_unreached_states():
    dot = machine_dot(MACHINE, overlay(MACHINE, unknown_company()), "t")
    assert re.search(r'"FetchFiling" \[id="t-state-FetchFiling".*class="state type-task visited failed"', dot)
    assert re.search(r'"Validate" \[.*class="state type-task unreached"', dot)
    assert "Sec.NotFound" in dot and "no 10-K filings for CIK 9999999999" in dot


def test_the_timeline_has_a_bar_per_visit_and_marks_the_failure():
    html = timeline_html(unknown_company(), visit_attempts(MACHINE, unknown_company()))
    assert html.count('class="bar') == 5
    assert html.count('class="bar failed"') == 1


def test_secrets_are_masked_by_key_and_by_registered_value():
    from harness.redaction import register_secret

    register_secret("s3cr3t-value-123")
    assert redacted({"api_key": "abc", "note": "key s3cr3t-value-123", "n": 3}) == {"api_key": "***", "note": "key ***", "n": 3}


def test_without_dot_the_report_is_still_written_with_a_note():
    html = report_html(sample_run(), renderer=lambda dot: Rendered(None, "Graphviz's dot was not found"))
    # Each of the sample's 3 executions, and the coverage view's machine.
    assert html.count("Graphviz&#x27;s dot was not found") == 4
    assert "hunter22" not in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


@pytest.mark.skipif(dot_executable() is None, reason="Graphviz's dot is not installed (apt-get install graphviz)")
def test_the_report_has_one_svg_diagram_per_execution_and_one_of_coverage_with_a_node_per_state():
    html = report_html(sample_run())
    assert html.count("<svg") == 3 + 1
    assert html.count('class="node state ') == (3 + 1) * STATE_COUNT
    assert render_svg(machine_dot(MACHINE)).svg.count('class="node state ') == STATE_COUNT


def test_the_report_says_the_summary_and_the_failure():
    html = report_html(sample_run(), renderer=lambda dot: Rendered(None, "no dot"))
    assert '<b>2</b>scenarios passed' in html and '<b>1</b>scenarios failed' in html
    assert "Failed at <b>FetchFiling</b> with <b>Sec.NotFound</b>" in html
    assert "utilities WARNING task failed" in html
    assert "Acceptance criteria:" in html
