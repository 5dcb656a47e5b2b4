"""What makes the report read well: expected failures, causes, criteria, skip reasons, scaled
timings, what a scenario left behind, and a failed-only view without script."""

from __future__ import annotations

from dataclasses import replace

from harness.report.html import description_html, execution_html, left_behind_html, report_html
from harness.report.render import Rendered
from harness.statemachine.model import parse_machine
from tests.report_samples import DEFINITION, sample_run, unknown_company

MACHINE = parse_machine(DEFINITION)
NO_DOT = lambda dot: Rendered(None, "no dot")  # noqa: E731


def test_a_failed_execution_in_a_passed_scenario_is_marked_as_expected() -> None:
    expected = execution_html(unknown_company(), MACHINE, "e", NO_DOT, expected_failure=True)
    unexpected = execution_html(unknown_company(), MACHINE, "e", NO_DOT, expected_failure=False)
    assert "FAILED — as expected" in expected and 'class="badge FAILED"' not in expected
    assert "Failed, as the scenario expects, at <b>FetchFiling</b>" in expected
    assert 'class="badge FAILED"' in unexpected and "as expected" not in unexpected


def test_an_empty_cause_is_not_printed_as_text() -> None:
    report = unknown_company()
    report.path[1].failures[-1] = ("States.Timeout", "")
    html = execution_html(report, MACHINE, "e", NO_DOT)
    assert "with <b>States.Timeout</b> (no cause given)" in html
    assert "States.Timeout:" not in html and "States.Timeout</b>:" not in html


def test_acceptance_criteria_are_a_list_with_wrapped_lines_joined() -> None:
    html = description_html(["Analysts ask for", "filings.", "", "Acceptance criteria:", "- one request makes one",
                             "  execution;", "- nothing is lost."])
    assert "<p>Analysts ask for filings.</p><p>Acceptance criteria:</p>" in html
    assert '<ul class="criteria"><li>one request makes one execution;</li><li>nothing is lost.</li></ul>' in html


def test_a_skipped_scenario_says_why() -> None:
    run = sample_run()
    feature = run.features[0]
    skipped = replace(feature.scenarios[0], status="skipped", skip_reason="the stack cannot restart an app",
                      extras=replace(feature.scenarios[0].extras, executions=[]))
    run.features[0] = replace(feature, scenarios=[skipped, *feature.scenarios[1:]])
    assert "Skipped: the stack cannot restart an app" in report_html(run, NO_DOT)


def test_scaled_timings_are_explained_with_real_time_equivalents() -> None:
    run = sample_run()
    run.time_scale = 0.1
    html = report_html(run, NO_DOT)
    assert "scaled by TIME_SCALE = 0.1" in html and "a 60 s heartbeat lasts 6 s here" in html
    assert "200 ms (≈ 2.0 s real)" in html
    assert "real)" not in report_html(sample_run(), NO_DOT)


def test_what_a_scenario_left_behind_is_a_table_with_the_raw_json_one_click_away() -> None:
    table = left_behind_html({"s3_keys": ["a.json", "b.json"], "dynamodb_item": {"status": "COMPLETE", "api_key": "x"}})
    assert "<th>s3_keys</th><td>a.json<br>b.json</td>" in table
    assert "<th>status</th><td>COMPLETE</td>" in table and "<td>x</td>" not in table
    html = report_html(sample_run(), NO_DOT)
    assert '<details class="left-behind-raw"><summary>Raw JSON</summary>' in html


def test_features_fold_and_the_failed_only_view_needs_no_script() -> None:
    html = report_html(sample_run(), NO_DOT)
    assert '<details class="feature" id="feature-0" data-status="failed" open>' in html
    assert '<a href="#failed-only">' in html and '<span id="failed-only"></span><nav class="toc">' in html
    assert "#failed-only:target ~ main .scenario:not(.failed)" in html and "<script" not in html
