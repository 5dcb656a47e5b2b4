"""JSONata evaluation errors name the value, with States.QueryEvaluationError, as AWS does."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine_fixtures import run


@pytest.mark.parametrize("items,shown", [(True, "true"), ({"foo": "bar"}, '{"foo":"bar"}'), ("s", '"s"')])
def test_a_map_input_that_is_not_an_array(sfn: Any, items: Any, shown: str) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Output": "{% $states.input.items %}", "Next": "M"},
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
              "End": True}}}
    described = run(sfn, definition, {"items": items})
    assert described["error"] == "States.QueryEvaluationError"
    assert described["cause"].endswith(f"Map state input must be an array but was: {shown}")


@pytest.mark.parametrize("timestamp", ["2016-12-05 21:29:29Z", "2016-12-05T21:29:29"])
def test_a_jsonata_wait_timestamp_that_does_not_parse(sfn: Any, timestamp: str) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {
        "Type": "Wait", "Timestamp": "{% $states.input.at %}", "End": True}}}
    described = run(sfn, definition, {"at": timestamp})
    assert described["error"] == "States.QueryEvaluationError"
    assert described["cause"].endswith("The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                                       f"date-time format string: {timestamp}")
