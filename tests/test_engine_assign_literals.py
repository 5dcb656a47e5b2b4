"""Strings in an Assign block are JSON strings, escapes decoded, as every other literal."""

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
