"""A behave run's durations, in the console summary and in JUnit, count scenarios under Rule:.

A small suite of its own runs in a real behave process: one rule, one scenario whose step takes
a known least time; behave's own summary and JUnit said about 0 s for it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

STEP_SECONDS = 0.4

FEATURE = """Feature: timed
  Rule: every scenario sits under a rule
    Scenario: a step that takes a while
      Given a step that takes a while
"""
STEPS = f"""import time
from behave import given

@given("a step that takes a while")
def step_impl(context):
    time.sleep({STEP_SECONDS})  # the time being measured, not a wait for something
"""
ENVIRONMENT = """from pathlib import Path
from harness.behave.junit import use_run_junit
from harness.behave.summary import use_wall_clock_summary

def before_all(context):
    use_wall_clock_summary(context.config)
    use_run_junit(context.config, Path("out/junit"))
"""


def test_took_and_the_junit_suite_time_include_scenarios_under_rules(tmp_path: Path) -> None:
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "timed.feature").write_text(FEATURE)
    (tmp_path / "features" / "steps" / "timed_steps.py").write_text(STEPS)
    (tmp_path / "features" / "environment.py").write_text(ENVIRONMENT)
    done = subprocess.run(
        [sys.executable, "-m", "behave", "--junit", "-f", "plain", "features"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    minutes, seconds = re.search(r"Took (\d+)min ([\d.]+)s", done.stdout).groups()
    assert int(minutes) * 60 + float(seconds) >= STEP_SECONDS
    suite = ET.parse(tmp_path / "out" / "junit" / "TESTS-timed.xml").getroot()
    assert float(suite.get("time")) >= STEP_SECONDS
    assert not list((tmp_path / "out" / "junit").glob("*.partial"))
