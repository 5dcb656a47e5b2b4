"""Evaluation errors name the value AWS names, with AWS's error: Map items, Wait timestamps.

* A Map state whose items are not an array fails with States.QueryEvaluationError, "Map state
  input must be an array but was: <the value as JSON>"; moto wrote the Python type
  (``<class 'bool'>``).
* A JSONata ``Timestamp`` of a Wait state that is not an ISO-8601 extended offset date-time
  fails with States.QueryEvaluationError, "The Timestamp field cannot be parsed as an ISO-8601
  extended offset date-time format string: <value>"; moto failed it with States.Runtime and its
  JSONPath wording. (``TimestampPath`` keeps States.Runtime and its own wording, as AWS.)
"""

from __future__ import annotations

import builtins
import json
from typing import Any

from moto.stepfunctions.parser.api import EvaluationFailedEventDetails, HistoryEventType
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.common.string.string_expression import StringJSONata
from moto.stepfunctions.parser.asl.component.state.exec.state_map import state_map
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.timestamp import Timestamp
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

_original_timestamp_failure = Timestamp._create_failure_event


def shown(value: Any) -> Any:
    """A value as AWS shows it in a cause: compact JSON; anything not JSON as its type."""
    try:
        return json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError):
        return builtins.type(value)


def query_evaluation_failure(env: Environment, cause: str) -> FailureEvent:
    error = StatesErrorName(typ=StatesErrorNameType.StatesQueryEvaluationError)
    return FailureEvent(env=env, error_name=error, event_type=HistoryEventType.EvaluationFailed,
                        event_details=EventDetails(evaluationFailedEventDetails=EvaluationFailedEventDetails(
                            error=error.error_name, cause=cause)))


def _timestamp_failure(self: Timestamp, env: Environment, timestamp_str: str) -> FailureEvent:
    if isinstance(self.string, StringJSONata):
        return query_evaluation_failure(env, "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                                             f"date-time format string: {timestamp_str}")
    return _original_timestamp_failure(self, env, timestamp_str)


def install() -> None:
    # state_map's only uses of ``type`` render a value in a cause: Map items, and its iteration
    # component (not JSON, so still shown as its type).
    state_map.type = shown  # type: ignore[attr-defined]
    Timestamp._create_failure_event = _timestamp_failure  # type: ignore[method-assign]
