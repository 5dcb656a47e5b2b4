"""Run-time errors AWS reports as it does: an unresolved Parameters path, a Fail state without Error."""

from __future__ import annotations

from typing import Any

from tests.engine_fixtures import run


def test_a_parameters_path_missing_from_the_input_fails_with_states_runtime(sfn: Any) -> None:
    definition = {"StartAt": "Get", "States": {"Get": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "Parameters": {"TableName": "t", "Key": {"id": {"S.$": "$.missing"}}},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": True},
        "Caught": {"Type": "Succeed"}}}
    described = run(sfn, definition, {})
    assert (described["status"], described["error"]) == ("FAILED", "States.Runtime")
    assert ("The JSONPath '$.missing' specified for the field 'S.$' could not be found in the input '{}'"
            in described["cause"])


def test_a_fail_state_without_error_in_a_caught_map_fails_the_execution_bare(sfn: Any) -> None:
    definition = {"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items",
              "Iterator": {"StartAt": "F", "States": {"F": {"Type": "Fail"}}},
              "Catch": [{"ErrorEquals": ["Other"], "Next": "Done"}], "End": True},
        "Done": {"Type": "Succeed"}}}
    described = run(sfn, definition, {"items": [1]})
    assert described["status"] == "FAILED"
    assert "error" not in described and "cause" not in described
