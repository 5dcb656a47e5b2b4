"""A run split across behave processes: what it deals, how many processes, and its outputs put
back together as one run's."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.behave import acceptance, scenario_lines
from harness.behave.selection import select, without_paths
from harness.behave.split_outputs import gather_logs, merge_junit_by_feature, merge_summaries
from harness.report.coverage_junit import COVERAGE_JUNIT_FILE
from harness.settings import userdata_from_behave_args

FEATURE = """Feature: orders
  Scenario: small
    Given a step

  @slow
  Scenario: large
    Given a step

  Scenario Outline: <n> items
    Given a step <n>
    Examples:
      | n |
      | 1 |
      | 2 |
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "orders.feature").write_text(FEATURE)
    (tmp_path / "features" / "other.feature").write_text("Feature: other\n  Scenario: alone\n    Given a step\n")
    (tmp_path / "behave.ini").write_text("[behave]\ndefault_tags = not @slow\n")
    return tmp_path


def _in(project: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]):
    monkeypatch.chdir(project)  # behave reads its configuration file from the current folder
    return select(project, args)


def test_a_whole_run_selects_what_behave_would_with_the_default_tags(project, monkeypatch) -> None:
    selection = _in(project, monkeypatch, [])
    # An outline's examples by their rows' lines; the @slow scenario left out by the default tags.
    assert selection.locations == ["features/orders.feature:2", "features/orders.feature:13",
                                   "features/orders.feature:14", "features/other.feature:2"]
    assert selection.partial == [] and selection.in_paths == 5


def test_paths_tags_and_names_narrow_the_selection_and_say_so(project, monkeypatch) -> None:
    by_tag = _in(project, monkeypatch, ["--tags=@slow"])
    assert by_tag.locations == ["features/orders.feature:6"] and by_tag.partial == ["tags @slow"]
    by_path = _in(project, monkeypatch, ["features/other.feature", "-D", "stack=embedded"])
    assert by_path.locations == ["features/other.feature:2"]
    assert by_path.options == ["-D", "stack=embedded"] and by_path.in_paths == 1
    by_line = _in(project, monkeypatch, ["features/orders.feature:9"])
    assert by_line.locations == ["features/orders.feature:13", "features/orders.feature:14"]
    by_name = _in(project, monkeypatch, ["-n", "items"])
    assert by_name.locations == ["features/orders.feature:13", "features/orders.feature:14"]


def test_the_processes_get_the_options_with_their_values_and_none_of_the_paths() -> None:
    args = ["features/a.feature:3", "-D", "stack=aws", "-Dtime_scale=1", "--tags", "@x", "-fprogress",
            "--stop", "-o", "out.txt", "features/b.feature"]
    assert without_paths(args) == ["-D", "stack=aws", "-Dtime_scale=1", "--tags", "@x", "-fprogress",
                                   "--stop", "-o", "out.txt"]


def test_settings_given_to_behave_are_read_in_every_spelling() -> None:
    args = ["-D", "reports_dir=a", "-Dstack=aws", "--define=time_scale=1", "--define", "coverage_min=90"]
    assert userdata_from_behave_args(args) == {"reports_dir": "a", "stack": "aws", "time_scale": "1",
                                               "coverage_min": "90"}


@pytest.mark.parametrize(
    ("seconds", "cores", "expected"),
    [
        ([0.1] * 6, 2, 1),  # a few quick scenarios: one stack is enough, behave runs alone
        ([20.0, 19.0, 10.0] + [1.0] * 60, 2, 5),  # the suite: five on two cores at most
        ([20.0, 19.0, 10.0] + [1.0] * 60, 8, 6),  # no more than total / longest, whatever the cores
        ([6.0, 6.0], 8, 2),  # never more processes than scenarios
        ([4.0, 4.0, 4.0], 4, 2),  # about one process per STACK_WORTH_S of scenarios
    ],
)
def test_the_number_of_processes_follows_the_scenarios_last_times(seconds, cores, expected) -> None:
    locations = [f"features/a.feature:{line}" for line in range(len(seconds))]
    assert acceptance.auto_processes(locations, dict(zip(locations, seconds)), cores) == expected


def test_a_suite_never_timed_gets_as_many_processes_as_the_cores_keep_busy() -> None:
    assert acceptance.auto_processes([f"f:{i}" for i in range(10)], {}, 2) == 5


@pytest.mark.parametrize("option", ["--dry-run", "-d", "--stop", "-w", "--steps-catalog", "--version"])
def test_what_only_one_process_can_do_is_left_to_behave_alone(option, monkeypatch) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(acceptance, "behave_alone", lambda args: ran.append(args) or 0)
    assert acceptance.run(Path.cwd(), 4, [option, "-D", "stack=embedded"]) == 0
    assert ran == [[option, "-D", "stack=embedded"]]


def test_a_small_selection_is_left_to_behave_alone(project, monkeypatch) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(acceptance, "behave_alone", lambda args: ran.append(args) or 0)
    monkeypatch.chdir(project)
    assert acceptance.run(project, None, ["features/other.feature"]) == 0
    assert ran == [["features/other.feature"]]


def test_the_compose_stack_runs_one_process_unless_asked_for_more(project, monkeypatch) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(acceptance, "behave_alone", lambda args: ran.append(args) or 0)
    monkeypatch.chdir(project)
    timings = {f"features/orders.feature:{line}": 30.0 for line in (2, 13, 14)}
    monkeypatch.setattr(acceptance, "load_timings", lambda path: timings)
    assert acceptance.run(project, None, ["-D", "stack=compose"]) == 0
    assert ran == [["-D", "stack=compose"]]


def _scenario(status: str, error: str | None = None) -> SimpleNamespace:
    step = SimpleNamespace(error_message=error)
    return SimpleNamespace(status=SimpleNamespace(name=status), location="features/a.feature:7", name="an order",
                           duration=1.234, all_steps=[step], steps=[step])


def test_each_scenario_that_ran_is_told_once_it_has_ended_and_no_other() -> None:
    out = io.StringIO()
    formatter = scenario_lines.ScenarioLines(SimpleNamespace(stream=out, name=None, open=lambda: out), None)
    first, skipped, failed = _scenario("passed"), _scenario("skipped"), _scenario("failed", "expected 2\n but: 3")
    formatter.scenario(first)
    assert out.getvalue() == ""  # still running: its cleanup may yet fail it
    formatter.scenario(skipped)
    formatter.scenario(failed)
    formatter.eof()
    told = [scenario_lines.parsed(line) for line in out.getvalue().splitlines()]
    assert [(body["status"], body["failure"]) for body in told] == [("passed", None), ("failed", "expected 2\n but: 3")]
    shown = scenario_lines.shown(told[1], "worker 1")
    assert shown.splitlines() == ["  FAILED    1.2 s  features/a.feature:7  an order  (worker 1)",
                                  "      expected 2", "       but: 3"]
    assert scenario_lines.parsed("an ordinary line of output") is None


def _junit(folder: Path, name: str, cases: list[str], failures: int = 0) -> None:
    (folder / "junit").mkdir(parents=True, exist_ok=True)
    body = "".join(f'<testcase name="{case}"/>' for case in cases)
    (folder / "junit" / name).write_text(
        f'<testsuite name="{name}" tests="{len(cases)}" failures="{failures}" errors="0" skipped="0" time="1.5">{body}</testsuite>'
    )


def test_a_feature_split_across_processes_is_one_junit_file_again(tmp_path: Path) -> None:
    first, second = tmp_path / "worker-0", tmp_path / "worker-1"
    _junit(first, "TESTS-features.a.xml", ["a1", "a2"])
    _junit(second, "TESTS-features.a.xml", ["a3"], failures=1)
    _junit(second, "TESTS-features.b.xml", ["b1"])
    _junit(second, COVERAGE_JUNIT_FILE, ["states"])
    merge_junit_by_feature([first, second], tmp_path / "junit")
    assert sorted(path.name for path in (tmp_path / "junit").iterdir()) == ["TESTS-features.a.xml", "TESTS-features.b.xml"]
    suite = ET.parse(tmp_path / "junit" / "TESTS-features.a.xml").getroot()
    assert [case.get("name") for case in suite.iter("testcase")] == ["a1", "a2", "a3"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("time")) == ("3", "1", "3.0")


def test_the_run_summary_adds_up_every_process_and_counts_a_silent_one_as_not_run(tmp_path: Path) -> None:
    for index, (ran, skipped) in enumerate([(3, {"no docker": 1}), (2, {"no docker": 2})]):
        folder = tmp_path / f"worker-{index}"
        folder.mkdir()
        (folder / "run-summary.json").write_text(json.dumps({
            "stack": "embedded", "started_at": 100.0 + index, "selected": ran + sum(skipped.values()), "ran": ran,
            "passed": ran, "failed": 0, "skipped": skipped, "not_run": []}))
    silent = tmp_path / "worker-2"
    silent.mkdir()
    summary = merge_summaries([tmp_path / "worker-0", tmp_path / "worker-1", silent], 3)
    assert (summary["ran"], summary["selected"], summary["skipped"], summary["started_at"]) == (5, 8, {"no docker": 3}, 100.0)
    assert len(summary["not_run"]) == 1 and summary["not_run"][0].startswith("worker-2 wrote no run summary")


def test_each_processs_logs_go_under_the_runs_logs(tmp_path: Path) -> None:
    worker = tmp_path / "workers" / "worker-1"
    (worker / "logs").mkdir(parents=True)
    (worker / "logs" / "ingest.log").write_text("started\n")
    gather_logs([worker], tmp_path / "logs")
    assert (tmp_path / "logs" / "worker-1" / "ingest.log").read_text() == "started\n"
    assert not (worker / "logs").exists()
