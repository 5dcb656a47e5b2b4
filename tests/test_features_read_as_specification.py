"""The feature files read as an analyst's specification: short scenarios, in business words.

What cucumber calls better Gherkin, kept by a test so that it stays so: 3 to 5 steps a scenario
(the Background's included); Given, When and Then each at most once and in that order (``And``
and ``But`` continue the one before); no state of the definition by its name and no HTTP status
code in what an analyst reads (step text, Examples, scenario and rule names); every scenario
under a ``Rule``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from behave.parser import parse_file

PROJECT = Path(__file__).resolve().parent.parent
FEATURES = sorted((PROJECT / "features").glob("*.feature"))
STATE_NAMES = sorted(json.loads((PROJECT / "test-definition.json").read_text(encoding="utf-8"))["States"])
HTTP_ERROR_STATUS = re.compile(r"\b[45]\d\d\b")
ORDER = {"given": 0, "when": 1, "then": 2}


def _scenarios():
    """Each scenario (an outline once, as written) with the rule it is under, if any."""
    for path in FEATURES:
        feature = parse_file(str(path))
        placed = [(None, s) for s in feature.scenarios] + [(r, s) for r in feature.rules for s in r.scenarios]
        for rule, scenario in placed:
            yield pytest.param(rule, scenario, id=f"{path.stem}: {scenario.name}")


SCENARIOS = list(_scenarios())


def _own_steps(scenario) -> list:
    return list(scenario.background_steps) + list(scenario.steps)


def _what_an_analyst_reads(rule, scenario) -> list[str]:
    texts = [scenario.name, rule.name if rule else ""]
    texts += [step.name for step in _own_steps(scenario)]
    for examples in getattr(scenario, "examples", []) or []:
        texts += [examples.name] + [" ".join(row.cells) for row in examples.table.rows]
    return texts


@pytest.mark.parametrize("rule, scenario", SCENARIOS)
def test_a_scenario_has_3_to_5_steps(rule, scenario) -> None:
    assert 3 <= len(_own_steps(scenario)) <= 5, [step.name for step in _own_steps(scenario)]


@pytest.mark.parametrize("rule, scenario", SCENARIOS)
def test_given_when_then_come_once_each_and_in_order(rule, scenario) -> None:
    kinds = [step.step_type for step in _own_steps(scenario)]
    assert [ORDER[k] for k in kinds] == sorted(ORDER[k] for k in kinds), kinds


@pytest.mark.parametrize("rule, scenario", SCENARIOS)
def test_no_state_name_and_no_http_status_in_the_text(rule, scenario) -> None:
    text = "\n".join(_what_an_analyst_reads(rule, scenario))
    named = [state for state in STATE_NAMES if re.search(rf"\b{state}\b", text)]
    assert named == [], f"states named: {named}"
    assert HTTP_ERROR_STATUS.findall(text) == []


@pytest.mark.parametrize("rule, scenario", SCENARIOS)
def test_every_scenario_is_under_a_rule(rule, scenario) -> None:
    assert rule is not None
