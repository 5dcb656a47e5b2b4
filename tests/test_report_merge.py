"""The reports of a parallel run's workers merged into one: each scenario from its own worker, once."""

from __future__ import annotations

import re
from dataclasses import replace

from harness.report.html import report_html
from harness.report.merge import WorkerRun, merge_runs, suite_features
from harness.report.record_file import RECORD_FILE, load_run_record, save_run_record
from harness.report.records import FeatureRecord, RunRecord, ScenarioExtras, ScenarioRecord
from harness.report.render import Rendered
from tests.report_samples import DEFINITION, PROJECT_DIR, T0, happy, unknown_company

OUTLINE = "features/a.feature:7"


def _scenario(line: int, status: str = "untested", outline: bool = False) -> ScenarioRecord:
    return ScenarioRecord(
        f"scenario at line {line}", f"features/{'a' if line < 20 else 'b'}.feature:{line}", status, 0.5, [], None, [],
        outline_location=OUTLINE if outline else None,
    )


def _feature(name: str, scenarios: list[ScenarioRecord]) -> FeatureRecord:
    return FeatureRecord(name, scenarios[0].location.split(":")[0] + ":1", [], [], "untested", scenarios)


def _suite() -> list[FeatureRecord]:
    """Feature A (two scenarios, an outline of two rows), B (one scenario), C (left out by tags)."""
    return [
        _feature("A", [_scenario(3), _scenario(5), _scenario(10, outline=True), _scenario(11, outline=True)]),
        _feature("B", [_scenario(23)]),
        FeatureRecord("C", "features/c.feature:1", [], [], "untested",
                      [ScenarioRecord("left out", "features/c.feature:4", "untested", 0, [], None, [])]),
    ]


def _run(features: list[FeatureRecord]) -> RunRecord:
    return RunRecord("Acceptance report: m", "embedded", T0, 10.0, features, DEFINITION)


def _worker_0() -> WorkerRun:
    """Dealt A:3 and the outline; A's other scenario is untested in its record, B is not in it."""
    a3 = replace(_scenario(3, "passed"), extras=ScenarioExtras(executions=[happy()]))
    row_1 = replace(_scenario(10, "passed", outline=True), extras=ScenarioExtras(executions=[happy()]))
    row_2 = replace(_scenario(11, "failed", outline=True), extras=ScenarioExtras(executions=[unknown_company()]))
    record = _run([_feature("A", [a3, _scenario(5), row_1, row_2])])
    return WorkerRun("worker 0", ["features/a.feature:3", OUTLINE], record)


def _worker_1(with_record: bool = True) -> WorkerRun:
    a5 = replace(_scenario(5, "passed"), extras=ScenarioExtras(left_behind={"s3_keys": ["k"]}))
    record = _run([
        _feature("A", [_scenario(3), a5, _scenario(10, outline=True), _scenario(11, outline=True)]),
        _feature("B", [_scenario(23, "passed")]),
    ])
    return WorkerRun("worker 1", ["features/a.feature:5", "features/b.feature:23"], record if with_record else None)


def _by_location(run: RunRecord) -> dict[str, ScenarioRecord]:
    return {scenario.location: scenario for scenario in run.scenarios()}


def _no_dot(source: str) -> Rendered:
    return Rendered(None, "not drawn in this test")


def test_each_scenario_comes_from_the_worker_it_was_dealt_to():
    merged = _by_location(merge_runs(_suite(), [_worker_0(), _worker_1()], 7.0))
    assert {location: (s.status, s.ran_by) for location, s in merged.items()} == {
        "features/a.feature:3": ("passed", "worker 0"),
        "features/a.feature:5": ("passed", "worker 1"),
        "features/a.feature:10": ("passed", "worker 0"),
        "features/a.feature:11": ("failed", "worker 0"),
        "features/b.feature:23": ("passed", "worker 1"),
        "features/c.feature:4": ("skipped", None),
    }
    # What the worker collected comes along: executions (for the diagrams), what was left behind.
    assert merged["features/a.feature:11"].extras.executions[0].status == "FAILED"
    assert merged["features/a.feature:5"].extras.left_behind == {"s3_keys": ["k"]}


def test_the_features_keep_the_suite_order_and_each_scenario_is_there_once():
    merged = merge_runs(_suite(), [_worker_1(), _worker_0()], 7.0)
    assert [feature.name for feature in merged.features] == ["A", "B", "C"]
    assert [feature.status for feature in merged.features] == ["failed", "passed", "skipped"]
    locations = [scenario.location for scenario in merged.scenarios()]
    assert locations == [s.location for feature in _suite() for s in feature.scenarios]


def test_the_counts_add_up_to_the_workers_counts():
    workers = [_worker_0(), _worker_1()]
    merged = merge_runs(_suite(), workers, 7.0)
    assert merged.counts() == {"passed": 4, "failed": 1, "skipped": 1}
    ran = [s for w in workers for s in w.record.scenarios() if s.status != "untested"]
    assert merged.counts()["passed"] + merged.counts()["failed"] == len(ran)


def test_the_run_says_how_many_processes_ran_it_and_keeps_what_they_share():
    merged = merge_runs(_suite(), [_worker_0(), _worker_1()], 7.0)
    assert merged.duration_s == 7.0
    assert merged.definition == DEFINITION
    assert merged.title == "Acceptance report: m"
    assert merged.notes == ["Run by 2 behave processes, side by side; each scenario names the one that ran it."]


def test_a_worker_that_left_no_record_is_named_and_its_scenarios_stay_in():
    merged = merge_runs(_suite(), [_worker_0(), _worker_1(with_record=False)], 7.0)
    scenarios = _by_location(merged)
    for location in ("features/a.feature:5", "features/b.feature:23"):
        assert scenarios[location].status == "error"
        assert scenarios[location].ran_by == "worker 1"
        assert "Dealt to worker 1" in scenarios[location].extras.notes[0]
    assert [feature.name for feature in merged.features] == ["A", "B", "C"]
    assert merged.counts() == {"passed": 2, "failed": 3, "skipped": 1}
    assert any(note.startswith("worker 1 left no run record") for note in merged.notes)
    page = report_html(merged, renderer=_no_dot)
    assert "worker 1 left no run record" in page


def test_the_merged_report_shows_every_scenario_once_with_its_worker():
    page = report_html(merge_runs(_suite(), [_worker_0(), _worker_1()], 7.0), renderer=_no_dot)
    names = re.findall(r'<section class="scenario [^"]*" id="[^"]*" data-status="[^"]*" data-name="([^"]*)"', page)
    assert sorted(names) == sorted(s.name for feature in _suite() for s in feature.scenarios)
    assert page.count('class="ran-by">worker 0<') == 3
    assert page.count('class="ran-by">worker 1<') == 2
    assert page.count('class="execution"') == 3
    assert "Run by 2 behave processes" in page


def test_the_suite_is_read_from_the_feature_files_with_outline_rows_pointing_at_their_outline():
    path = PROJECT_DIR / "features" / "poison_messages.feature"
    (feature,) = suite_features(PROJECT_DIR, [path])
    rows = [s for s in feature.scenarios if s.outline_location]
    outline_line = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "Scenario Outline:" in line)
    assert rows and all(s.run_location == f"features/poison_messages.feature:{outline_line}" for s in rows)
    assert all(s.location.startswith("features/poison_messages.feature:") for s in feature.scenarios)
    plain = [s for s in feature.scenarios if not s.outline_location]
    assert [s.run_location for s in plain] == [s.location for s in plain]


def test_a_record_saved_by_a_run_reads_back_whole(tmp_path):
    record = merge_runs(_suite(), [_worker_0(), _worker_1()], 7.0)
    save_run_record(record, tmp_path)
    assert load_run_record(tmp_path) == record


def test_no_record_or_a_cut_short_one_reads_as_none(tmp_path):
    assert load_run_record(tmp_path) is None
    save_run_record(_run([]), tmp_path)
    path = tmp_path / RECORD_FILE
    path.write_bytes(path.read_bytes()[:20])
    assert load_run_record(tmp_path) is None
