"""One run, one set of reports: which folder a run writes to, and what of an earlier run it clears."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from behave.configuration import Configuration

from harness.behave.run_folder import clear_run_outputs, partial_reasons, run_reports_dir

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_DIR)  # behave reads its configuration (pyproject.toml) from here


@pytest.mark.parametrize("args", [[], ["features"], ["-f", "progress"], ["-D", "stack=aws"]])
def test_the_configured_suite_is_a_whole_run(args: list[str]) -> None:
    assert partial_reasons(Configuration(args)) == []


@pytest.mark.parametrize("args,reason", [
    (["--tags=@fails_on_purpose"], "tags @fails_on_purpose"),
    (["features/duplicates.feature"], "paths features/duplicates.feature"),
    (["features/faults.feature:20"], "paths features/faults.feature:20"),
    (["-n", "Apple"], "names Apple"),
])
def test_tags_paths_or_names_make_a_partial_run(args: list[str], reason: str) -> None:
    assert partial_reasons(Configuration(args)) == [reason]
    assert run_reports_dir(Path("reports"), True) == Path("reports/partial")


def test_a_run_clears_what_an_earlier_run_wrote_and_nothing_else(tmp_path: Path) -> None:
    for name in ("report.html", "coverage.json", "cucumber.json", "junit/TESTS-old.xml", "logs/emulator.log",
                 "scenario-timings.json", "parallel/report.html", "partial/report.html", "allure/x-result.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("earlier run")
    clear_run_outputs(tmp_path)
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["allure/x-result.json", "parallel/report.html", "partial/report.html", "scenario-timings.json"]
    assert os.listdir(tmp_path)  # the folder itself stays
