"""Assign: its strings are JSON strings, and it takes effect when its state ends."""

from __future__ import annotations

import json
from typing import Any

from tests.engine_fixtures import run


def test_an_assigned_json_text_parses_with_string_to_json(sfn: Any) -> None:
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"text": '{"key":"value"}'}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"parsed.$": "States.StringToJson($text)"}, "End": True}}}
    assert json.loads(run(sfn, definition, {})["output"]) == {"parsed": {"key": "value"}}


def test_an_assigned_quote_is_one_character(sfn: Any) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"quote": '"', "nested": {"q": 'a"b'}}, "Next": "B"},
        "B": {"Type": "Pass", "Output": "{% [$length($quote), $quote = '\"', $nested.q] %}", "End": True}}}
    assert json.loads(run(sfn, definition, {})["output"]) == [1, True, 'a"b']


def test_a_state_s_own_output_reads_variables_from_before_its_assign(sfn: Any) -> None:
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"answer": 42}, "Next": "B"},
        "B": {"Type": "Pass", "OutputPath": "$answer", "Assign": {"answer": "changed"}, "Next": "C"},
        "C": {"Type": "Pass", "Parameters": {"before.$": "$", "now.$": "$answer"}, "End": True}}}
    assert json.loads(run(sfn, definition, {})["output"]) == {"before": 42, "now": "changed"}


def test_a_catcher_s_assign_reaches_the_next_state(sfn: Any) -> None:
    definition = {"StartAt": "F", "States": {
        "F": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
              "Parameters": {"TableName": "no-such-table-here", "Key": {"id": {"S": "1"}}},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"caught": True}, "Next": "N"}], "End": True},
        "N": {"Type": "Pass", "Parameters": {"caught.$": "$caught"}, "End": True}}}
    assert json.loads(run(sfn, definition, {})["output"]) == {"caught": True}
