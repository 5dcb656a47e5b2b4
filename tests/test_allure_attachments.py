"""With allure-behave's formatter on, each scenario's Allure result carries its executions'
diagrams and timelines; a real behave process writes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.report.render import dot_executable

pytest.importorskip("allure_behave", reason="allure-behave is not installed (pip install -e '.[dev]')")

PROJECT_DIR = Path(__file__).resolve().parent.parent
FEATURE = """Feature: attached
  Scenario: one execution
    Given an execution ran
"""
STEPS = """from behave import given
from tests.report_samples import unknown_company

@given("an execution ran")
def step_impl(context):
    context.executions = [unknown_company()]
"""
ENVIRONMENT = """from harness.behave.allure_attachments import attach_executions
from harness.statemachine.model import parse_machine
from tests.report_samples import DEFINITION

def after_scenario(context, scenario):
    attach_executions(context.executions, parse_machine(DEFINITION), 0.1)
"""


def _run(tmp_path: Path, *formatter: str) -> subprocess.CompletedProcess:
    (tmp_path / "features" / "steps").mkdir(parents=True, exist_ok=True)
    (tmp_path / "features" / "attached.feature").write_text(FEATURE)
    (tmp_path / "features" / "steps" / "attached_steps.py").write_text(STEPS)
    (tmp_path / "features" / "environment.py").write_text(ENVIRONMENT)
    return subprocess.run(
        [sys.executable, "-m", "behave", "--no-junit", *formatter, "features"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_DIR)},
    )


def test_each_scenario_result_carries_its_diagram_and_timeline(tmp_path: Path) -> None:
    done = _run(tmp_path, "-f", "allure_behave.formatter:AllureFormatter", "-o", "allure")
    assert done.returncode == 0, done.stdout + done.stderr
    [result] = [json.loads(p.read_text()) for p in (tmp_path / "allure").glob("*-result.json")]
    attachments = {a["name"]: a for a in result["attachments"]}
    assert attachments["req-unknown: timeline"]["type"] == "text/html"
    timeline = (tmp_path / "allure" / attachments["req-unknown: timeline"]["source"]).read_text()
    assert "FetchFilingFailed" in timeline and "real)" in timeline
    if dot_executable() is not None:
        diagram = attachments["req-unknown: diagram"]
        assert diagram["type"] == "image/svg+xml"
        assert "<svg" in (tmp_path / "allure" / diagram["source"]).read_text()


def test_without_the_allure_formatter_nothing_is_attached_or_written(tmp_path: Path) -> None:
    done = _run(tmp_path, "-f", "plain")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / "allure").exists()
