"""JSONata states and variables, evaluated as AWS evaluates them."""

from __future__ import annotations

import json
from typing import Any

from tests.engine_fixtures import run


def jsonata_pass(output: Any, assign: dict[str, Any] | None = None) -> dict[str, Any]:
    first: dict[str, Any] = {"Type": "Pass", "Next": "P"}
    if assign:
        first["Assign"] = assign
    return {"QueryLanguage": "JSONata", "StartAt": "A",
            "States": {"A": first, "P": {"Type": "Pass", "Output": output, "End": True}}}


def test_output_with_states_input_variables_and_added_functions(sfn: Any) -> None:
    d = run(sfn, jsonata_pass({
        "sum": "{% $sum($states.input.n) %}",
        "var": "{% $v %}",
        "parts": "{% $partition([1,2,3,4,5], 2) %}",
        "range": "{% $range(0, 10, 5) %}",
        "hash": "{% $hash('a', 'SHA-256') %}",
        "parsed": "{% $parse('{\"k\": [1]}') %}",
        "uuid": "{% $length($uuid()) %}",
        "exec": "{% $states.context.Execution.RedriveCount %}",
    }, assign={"v": "{% $states.input.n[0] %}"}), {"n": [1, 2, 3]})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out == {"sum": 6, "var": 1, "parts": [[1, 2], [3, 4], [5]], "range": [0, 5, 10],
                   "hash": "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
                   "parsed": {"k": [1]}, "uuid": 36, "exec": 0}


def test_undefined_is_a_query_evaluation_error_naming_the_field(sfn: Any) -> None:
    d = run(sfn, jsonata_pass({"result": "{% $doesNotExist %}"}))
    assert d["status"] == "FAILED"
    assert d["error"] == "States.QueryEvaluationError"
    assert d["cause"].endswith("The JSONata expression '$doesNotExist' specified for the field "
                               "'Output/result' returned nothing (undefined).")


def test_eval_is_not_available(sfn: Any) -> None:
    d = run(sfn, jsonata_pass("{% $eval('1 + 1') %}"))
    assert d["status"] == "FAILED"
    assert d["error"] == "States.QueryEvaluationError"
    assert "threw an error during evaluation" in d["cause"]


def test_choice_condition_and_map_items(sfn: Any) -> None:
    d = run(sfn, {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.x > 1 %}", "Next": "M"}],
              "Default": "F"},
        "F": {"Type": "Fail", "Error": "Wrong"},
        "M": {"Type": "Map", "Items": "{% $states.input.items %}",
              "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Output": "{% $states.input * 2 %}",
                                                                 "End": True}}},
              "End": True}}}, {"x": 2, "items": [1, 2, 3]})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [2, 4, 6]


def test_variables_in_jsonpath_states(sfn: Any) -> None:
    d = run(sfn, {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"who.$": "$.name"}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"greeting.$": "$who"}, "End": True}}}, {"name": "ada"})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"greeting": "ada"}
