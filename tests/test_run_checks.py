"""A run that checked less than it should is red: nothing selected, a silent skip, a suite that
ran fewer tests or skipped more than expected, a report left by an earlier run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.behave.run_expectations import check
from harness.behave.run_tally import RunIncomplete, RunTally

PROJECT_DIR = Path(__file__).resolve().parent.parent


def scenario(line: int, status: str, *, selected: bool = True) -> SimpleNamespace:
    return SimpleNamespace(
        filename="features/x.feature", line=line, name=f"scenario {line}",
        status=SimpleNamespace(name=status), should_run=lambda config: selected,
    )


def tally(*scenarios: SimpleNamespace) -> RunTally:
    feature = SimpleNamespace(walk_scenarios=lambda: list(scenarios))
    return RunTally([feature], SimpleNamespace(dry_run=False))


def test_a_run_where_every_selected_scenario_ran_passes_and_counts_them() -> None:
    run = tally(scenario(1, "passed"), scenario(2, "failed"), scenario(3, "error"), scenario(4, "skipped", selected=False))
    summary = run.summary("embedded")
    run.check(summary)
    assert (summary["selected"], summary["ran"], summary["passed"], summary["failed"]) == (3, 3, 1, 2)


def test_a_skip_the_stack_declared_is_counted_with_its_reason() -> None:
    skipped = scenario(2, "skipped")
    run = tally(scenario(1, "passed"), skipped)
    run.skipped_by_declaration(skipped, "the aws stack does not declare 'time_scale'")
    summary = run.summary("aws")
    run.check(summary)
    assert summary["skipped"] == {"the aws stack does not declare 'time_scale'": 1}


def test_a_selected_scenario_skipped_for_no_declared_reason_fails_the_run_and_is_named() -> None:
    run = tally(scenario(1, "passed"), scenario(7, "skipped"), scenario(9, "untested"))
    with pytest.raises(RunIncomplete, match=r"2 selected scenario\(s\) did not run.*scenario 7 .*scenario 9"):
        run.check(run.summary("embedded"))


def test_a_run_in_which_nothing_ran_fails_even_when_every_skip_was_declared() -> None:
    skipped = scenario(1, "skipped")
    run = tally(skipped)
    run.skipped_by_declaration(skipped, "load scenarios run with -D LOAD_TESTS=on")
    with pytest.raises(RunIncomplete, match="no scenario ran .*1 skipped: load scenarios"):
        run.check(run.summary("embedded"))


def test_a_share_of_a_split_run_may_run_nothing_its_parent_checks_the_whole_run() -> None:
    skipped = scenario(1, "skipped")
    feature = SimpleNamespace(walk_scenarios=lambda: [skipped])
    run = RunTally([feature], SimpleNamespace(dry_run=False), share=True)
    run.skipped_by_declaration(skipped, "the aws stack does not declare 'mocked_integrations'")
    run.check(run.summary("aws"))  # the parent adds up the shares (harness/behave/parallel.py)
    unexplained = RunTally([SimpleNamespace(walk_scenarios=lambda: [scenario(2, "skipped")])],
                           SimpleNamespace(dry_run=False), share=True)
    with pytest.raises(RunIncomplete, match="did not run"):
        unexplained.check(unexplained.summary("aws"))


def test_behave_exits_1_when_its_tags_select_no_scenario(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "behave", "--tags=@no_scenario_has_this_tag", "-f", "plain",
         "-D", f"reports_dir={tmp_path}", "--junit-directory", str(tmp_path / "junit")],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    assert "no scenario ran (0 selected)" in done.stdout + done.stderr


def write_summary(path: Path, **counts: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"ran": 0, "failed": 0, "skipped": {}, **counts}), encoding="utf-8")


def test_expectations_met_by_fresh_reports_name_no_problem(tmp_path: Path) -> None:
    since = time.time() - 5
    write_summary(tmp_path / "reports/run-summary.json", ran=37)
    write_summary(tmp_path / "reports/parallel/worker-1/run-summary.json", ran=20)
    write_summary(tmp_path / "reports/parallel/worker-2/run-summary.json", ran=17)
    expectations = {"suites": [
        {"name": "acceptance", "summary": "reports/run-summary.json", "min_ran": 37},
        {"name": "parallel", "summary": "reports/parallel/worker-*/run-summary.json", "min_ran": 37},
    ]}
    assert check(tmp_path, expectations, since) == []


def test_fewer_ran_or_more_skipped_than_expected_is_named_with_the_skip_reasons(tmp_path: Path) -> None:
    write_summary(tmp_path / "run-summary.json", ran=31, skipped={"the embedded stack does not declare 'app_faults'": 6})
    expectations = {"suites": [{"name": "acceptance", "summary": "run-summary.json", "min_ran": 37, "max_skipped": 0}]}
    problems = check(tmp_path, expectations, time.time() - 5)
    assert problems == [
        "acceptance: 31 ran, fewer than the 37 expected",
        "acceptance: 6 skipped, more than the 0 expected (6× the embedded stack does not declare 'app_faults')",
    ]


def test_a_report_older_than_the_run_or_missing_is_named(tmp_path: Path) -> None:
    write_summary(tmp_path / "run-summary.json", ran=37)
    (tmp_path / "report.html").write_text("<html></html>", encoding="utf-8")
    old = time.time() - 3600
    os.utime(tmp_path / "report.html", (old, old))
    expectations = {"suites": [{"name": "acceptance", "summary": "run-summary.json"}],
                    "fresh": ["report.html", "parallel/report.html"]}
    problems = check(tmp_path, expectations, time.time() - 60)
    assert problems == [
        f"{tmp_path / 'report.html'} is older than this run (left by an earlier one)",
        f"{tmp_path / 'parallel/report.html'} is missing",
    ]


def test_pytest_junit_counts_skips_with_their_reasons(tmp_path: Path) -> None:
    (tmp_path / "junit.xml").write_text(
        '<testsuites><testsuite tests="3" skipped="1"><testcase name="a"/><testcase name="b"/>'
        '<testcase name="c"><skipped message="Chromium is not installed"/></testcase></testsuite></testsuites>',
        encoding="utf-8",
    )
    expectations = {"suites": [{"name": "pytest", "junit": "junit.xml", "min_tests": 2, "max_skipped": 0}]}
    assert check(tmp_path, expectations, time.time() - 60) == [
        "pytest: 1 skipped, more than the 0 expected (1× Chromium is not installed)"
    ]


def test_a_skip_the_expectations_allow_counts_against_nothing(tmp_path: Path) -> None:
    (tmp_path / "junit.xml").write_text(
        '<testsuite tests="2" skipped="1"><testcase name="a"/>'
        '<testcase name="b"><skipped message="SAMPLE_DIR names no directory"/></testcase></testsuite>',
        encoding="utf-8",
    )
    suite = {"name": "pytest", "junit": "junit.xml", "max_skipped": 0, "allowed_skips": ["SAMPLE_DIR"]}
    assert check(tmp_path, {"suites": [suite]}, time.time() - 60) == []
