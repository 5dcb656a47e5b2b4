"""The in-project Cucumber JSON formatter, in a real behave process: every scenario (under rules
and outlines too) with its background, steps and results, written whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from harness.behave.cucumber import merge_cucumber

FEATURE = """@area
Feature: counted
  Background:
    Given a start

  Rule: a rule
    Scenario: passes
      Then it passes

    Scenario Outline: <n> fails
      Then it fails with <n>
      Examples:
        | n |
        | 1 |
"""
STEPS = """from behave import given, then

@given("a start")
def start(context):
    pass

@then("it passes")
def passes(context):
    pass

@then("it fails with {n}")
def fails(context, n):
    assert False, "failed " + n
"""


def test_cucumber_json_has_every_scenario_with_its_background_and_results(tmp_path: Path) -> None:
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "counted.feature").write_text(FEATURE)
    (tmp_path / "features" / "steps" / "counted_steps.py").write_text(STEPS)
    done = subprocess.run(
        [sys.executable, "-m", "behave", "--no-junit", "-f", "harness.behave.cucumber_json:CucumberJSONFormatter",
         "-o", "out/cucumber.json", "features"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the outline's example fails
    document = json.loads((tmp_path / "out" / "cucumber.json").read_text())
    assert not list((tmp_path / "out").glob("*.partial"))
    [feature] = document
    assert (feature["uri"], feature["status"], feature["tags"][0]["name"]) == ("features/counted.feature", "failed", "@area")
    kinds = [(element["type"], element.get("name")) for element in feature["elements"]]
    assert [kind for kind, _ in kinds] == ["background", "scenario", "background", "scenario"]
    assert kinds[1][1] == "passes" and kinds[3][1].startswith("1 fails")
    passed, failed = feature["elements"][1], feature["elements"][3]
    assert [step["result"]["status"] for step in passed["steps"]] == ["passed"]
    assert failed["steps"][0]["result"]["status"] == "failed"
    assert "failed 1" in failed["steps"][0]["result"]["error_message"]
    assert passed["steps"][0]["match"]["location"] == "features/steps/counted_steps.py:7"
    assert feature["elements"][0]["steps"][0]["match"]["location"] == "features/steps/counted_steps.py:3"
    # What the parallel run merges.
    assert merge_cucumber([document], ["features/counted.feature"]) == document
