"""Each step's check is no looser than its sentence: told a false sentence, the scenario fails.

The suite's own steps run, through behave, on the embedded stack, against scenarios written for
this test: each false scenario says one thing that is not so (one query more or fewer than were
made, a second run of a request, a key written or served where it must not be, a kept request
missing a field, a completed request rewritten, an app that is not running)
and must fail at the step that says it; its true twin must pass, so the failure is the sentence's
and not the set-up's. The faults are planted by tests/planted_fault_steps.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

FEATURE = """\
Feature: sentences the steps must not let pass when they are false

  Scenario: asked as often as it says
    Given the SEC API turns away the next 2 queries about CIK 1318605 as too many
    And an analyst requests the latest 10-K filing of CIK 1318605
    When the request is processed
    Then the SEC API was asked 3 times about CIK 1318605

  Scenario: asked once more than it says
    Given the SEC API turns away the next 2 queries about CIK 1318605 as too many
    And an analyst requests the latest 10-K filing of CIK 1318605
    When the request is processed
    Then the SEC API was asked 2 times about CIK 1318605

  Scenario: asked once fewer than it says
    Given the SEC API turns away the next 2 queries about CIK 1318605 as too many
    And an analyst requests the latest 10-K filing of CIK 1318605
    When the request is processed
    Then the SEC API was asked 4 times about CIK 1318605

  Scenario: tried as often as it says, without the SEC API
    Given a rehearsal in which the SEC API turns the pipeline away twice as too many, then answers
    When an analyst's request for the latest 10-Q filing of CIK 1318605 is rehearsed
    Then fetching the filing was tried 3 times without asking the SEC API

  Scenario: tried once more than it says
    Given a rehearsal in which the SEC API turns the pipeline away twice as too many, then answers
    When an analyst's request for the latest 10-Q filing of CIK 1318605 is rehearsed
    Then fetching the filing was tried 2 times without asking the SEC API

  Scenario: done once
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    Then the request is complete and was done exactly once

  Scenario: done twice, under two names
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    And a second run of the pipeline is started for the request, under another name
    Then the request is complete and was done exactly once

  Scenario: a filing written twice, with different contents
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    And the archived filing is written again, with other content
    Then the request is complete and was done exactly once

  Scenario: a refused request that nonetheless started a run
    Given an analyst sends a request that names no company
    When the request is processed
    And a run of the pipeline is started under the request's id
    Then nothing is recorded for it

  Scenario: a refused request that started nothing
    Given an analyst sends a request that names no company
    When the request is processed
    Then nothing is recorded for it

  Scenario: the wrong key in a log line
    Given an analyst's request for the latest 10-K filing of CIK 789019 failed because the pipeline held a wrong SEC API key
    When the wrong key is written in a line of the utilities app's log
    And every log, report, archived file, catalogue item, set-aside message, run of the pipeline and endpoint of the stack is searched for the SEC API key
    Then neither the right key nor the wrong one is found anywhere

  Scenario: the wrong key in a report not yet written
    Given an analyst's request for the latest 10-K filing of CIK 789019 failed because the pipeline held a wrong SEC API key
    When the wrong key is printed in the scenario's output
    And every log, report, archived file, catalogue item, set-aside message, run of the pipeline and endpoint of the stack is searched for the SEC API key
    Then neither the right key nor the wrong one is found anywhere

  Scenario: the right key in a message set aside
    Given an analyst's request for the latest 10-K filing of CIK 789019 failed because the pipeline held a wrong SEC API key
    When the right key is put in a message set aside for an operator
    And every log, report, archived file, catalogue item, set-aside message, run of the pipeline and endpoint of the stack is searched for the SEC API key
    Then neither the right key nor the wrong one is found anywhere

  Scenario: the right key at an endpoint of the stack
    Given an analyst's request for the latest 10-K filing of CIK 789019 failed because the pipeline held a wrong SEC API key
    When an endpoint of the stack serves the right key
    And every log, report, archived file, catalogue item, set-aside message, run of the pipeline and endpoint of the stack is searched for the SEC API key
    Then neither the right key nor the wrong one is found anywhere

  Scenario: a completed request left as it was by a second run
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    And the pipeline is started again under the same request id for CIK 1318605
    Then the completed request is as it was, in the archive and in the catalogue

  Scenario: a completed request rewritten behind the second run
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    And the pipeline is started again under the same request id for CIK 1318605
    And the archived request is rewritten for another company
    Then the completed request is as it was, in the archive and in the catalogue

  Scenario: the failed request kept whole
    Given an analyst requests the latest 10-K filing of CIK 789019 while the SEC API is down
    When the request is processed
    Then nothing but the original request is archived, kept whole for an operator to send again

  Scenario: the failed request kept with a field lost
    Given an analyst requests the latest 10-K filing of CIK 789019 while the SEC API is down
    When the request is processed
    And the archived request loses a field
    Then nothing but the original request is archived, kept whole for an operator to send again

  Scenario: an app that was not running to begin with
    Given the ingest app has stopped
    When an outsider puts a message that is not JSON on the ingest queue
    Then the app is still running
"""

# Scenario -> the step that must fail in it (None: the scenario must pass).
EXPECTED = {
    "asked as often as it says": None,
    "asked once more than it says": "the SEC API was asked 2 times about CIK 1318605",
    "asked once fewer than it says": "the SEC API was asked 4 times about CIK 1318605",
    "tried as often as it says, without the SEC API": None,
    "tried once more than it says": "fetching the filing was tried 2 times without asking the SEC API",
    "done once": None,
    "done twice, under two names": "the request is complete and was done exactly once",
    "a filing written twice, with different contents": "the request is complete and was done exactly once",
    "a refused request that nonetheless started a run": "nothing is recorded for it",
    "a refused request that started nothing": None,
    "the wrong key in a log line": "neither the right key nor the wrong one is found anywhere",
    "the wrong key in a report not yet written": "neither the right key nor the wrong one is found anywhere",
    "the right key in a message set aside": "neither the right key nor the wrong one is found anywhere",
    "the right key at an endpoint of the stack": "neither the right key nor the wrong one is found anywhere",
    "a completed request left as it was by a second run": None,
    "a completed request rewritten behind the second run": "the completed request is as it was, in the archive and in the catalogue",
    "the failed request kept whole": None,
    "the failed request kept with a field lost": (
        "nothing but the original request is archived, kept whole for an operator to send again"
    ),
    # It fails before it gets to say the app is still running: the app never was.
    "an app that was not running to begin with": "an outsider puts a message that is not JSON on the ingest queue",
}
# What the failure of a false scenario must say, so it fails for its own falsehood.
SAYS = {
    "asked once more than it says": "<2>",
    "asked once fewer than it says": "<4>",
    "tried once more than it says": "tries of fetching the filing",
    "done twice, under two names": "executions of the request",
    "a filing written twice, with different contents": "different contents written per object",
    "a refused request that nonetheless started a run": "an execution named",
    "the wrong key in a log line": "the wrong SEC API key leaked",
    "the wrong key in a report not yet written": "the wrong SEC API key leaked",
    "the right key in a message set aside": "the right SEC API key leaked",
    "the right key at an endpoint of the stack": "the right SEC API key leaked",
    "a completed request rewritten behind the second run": "the archived request",
    "the failed request kept with a field lost": "the kept request",
    "an app that was not running to begin with": "not running to begin with",
}


def _suite_with_planted_faults(root: Path) -> Path:
    """The suite's environment and steps, plus the planted faults' steps, beside one feature."""
    (root / "features").mkdir()
    (root / "features" / "false_sentences.feature").write_text(FEATURE, encoding="utf-8")
    (root / "environment.py").symlink_to(PROJECT / "environment.py")
    steps = root / "steps"
    steps.mkdir()
    for module in sorted((PROJECT / "steps").glob("*.py")):
        (steps / module.name).symlink_to(module)
    (steps / "planted_fault_steps.py").symlink_to(PROJECT / "tests" / "planted_fault_steps.py")
    return root / "features"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str | None, str]]:
    """Each scenario's status, the step it failed at, and that step's error."""
    root = tmp_path_factory.mktemp("false_sentences")
    features = _suite_with_planted_faults(root)
    result = root / "result.json"
    run = subprocess.run(
        # JUnit on, as in the suite's own configuration: behave then captures each scenario's output for it.
        [sys.executable, "-m", "behave", str(features), "-f", "json", "-o", str(result),
         "--junit", "--junit-directory", str(root / "junit"), "-D", f"reports_dir={root / 'reports'}"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(PROJECT)}, capture_output=True, text=True, timeout=600,
    )
    assert result.exists(), f"behave wrote no result:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    found = {}
    for feature in json.loads(result.read_text(encoding="utf-8")):
        for scenario in feature.get("elements", []):
            failed = next((s for s in scenario.get("steps", []) if s.get("result", {}).get("status") == "failed"), None)
            error = "\n".join(failed["result"].get("error_message", [])) if failed else ""
            found[scenario["name"]] = (scenario["status"], failed and failed["name"], error)
    return found


@pytest.mark.parametrize("scenario", list(EXPECTED))
def test_a_false_sentence_fails_at_its_step_and_a_true_one_passes(outcomes, scenario: str) -> None:
    status, failed_step, error = outcomes[scenario]
    if EXPECTED[scenario] is None:
        assert (status, failed_step) == ("passed", None), error
    else:
        assert (status, failed_step) == ("failed", EXPECTED[scenario]), error
        assert SAYS[scenario] in error
