"""The definition is filled and checked before anything runs; errors say where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.statemachine.definition import DefinitionError, check_transitions, fill_placeholders
from harness.pipeline import load_pipeline
from harness.resources.plan import plan_resources

PROJECT = Path(__file__).resolve().parent.parent


def test_placeholders_are_filled_inside_strings() -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "${Queue}/x", "End": true}}}'
    filled = fill_placeholders(text, {"Queue": 'http://q"1'}, "d.json")
    assert filled["States"]["A"]["Result"] == 'http://q"1/x'


def test_an_unknown_placeholder_is_named_with_its_line() -> None:
    text = '{\n "StartAt": "A",\n "States": {"A": {"Type": "Pass", "Result": "${Nope}", "End": true}}}'
    with pytest.raises(DefinitionError, match=r"unknown placeholder \$\{Nope\} \(line 3\); known placeholders: Queue"):
        fill_placeholders(text, {"Queue": "q"}, "d.json")


def test_invalid_json_says_line_and_column() -> None:
    with pytest.raises(DefinitionError, match=r"d.json: invalid JSON at line 2, column 13: Expecting .:. delimiter"):
        fill_placeholders('{\n  "StartAt" "A"}', {}, "d.json")


def test_a_next_naming_no_state_is_refused_with_state_and_field() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Task", "Resource": "r", "Next": "B", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}]},
            "B": {"Type": "Succeed"},
        },
    }
    with pytest.raises(DefinitionError, match=r"d.json: MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at /States/A/Catch/0/Next"):
        check_transitions(definition, "d.json")


def test_a_missing_start_state_is_refused() -> None:
    with pytest.raises(DefinitionError, match="d.json: MISSING_TRANSITION_TARGET: Missing 'StartAt' target: Z at /StartAt"):
        check_transitions({"StartAt": "Z", "States": {"A": {"Type": "Succeed"}}}, "d.json")


def test_nested_machines_are_checked_too() -> None:
    definition = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "End": True, "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Y"}}}}},
    }
    with pytest.raises(DefinitionError, match="MISSING_TRANSITION_TARGET: Missing 'Next' target: Y at /States/M/ItemProcessor/States/X/Next"):
        check_transitions(definition, "d.json")


def test_the_project_definition_passes_preflight() -> None:
    plan_resources("test", load_pipeline(PROJECT / "pipeline.json")).preflight()


def test_the_project_definition_uses_the_callback_pattern_on_every_app() -> None:
    definition = json.loads((PROJECT / "test-definition.json").read_text())
    tasks = {n: s for n, s in definition["States"].items() if s["Type"] == "Task" and "sqs" in s["Resource"]}
    assert set(tasks) == {"Ingest", "FetchFiling", "Validate"}
    for state in tasks.values():
        assert state["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
        assert state["HeartbeatSeconds"] < state["TimeoutSeconds"]
        # No catch-all: a step whose retries are spent fails the run right there, where a redrive resumes.
        assert "Catch" not in state
