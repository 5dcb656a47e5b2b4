"""JSONata in states: ``{% %}`` expressions and ``$variables`` evaluated by a kept library.

moto 5.2.5 composes every expression into one string with the variables declared in front and
hands it to an evaluator it never sets (LocalStack runs a JVM there), so each JSONata state fails
with ``TypeError('NoneType' object is not callable)``, and so does any ``$var`` in a JSONPath
state. Here the expression is evaluated on its own, with ``$states`` and the variables passed as
bindings (values are never pasted into the expression text, so no quoting problems), by
``jsonata_eval``. Failures become AWS's ``States.QueryEvaluationError`` with AWS's causes:
"... specified for the field 'F' returned nothing (undefined)." and
"... specified for the field 'F' threw an error during evaluation. <code>: <message>".
"""

from __future__ import annotations

import json
import logging
from typing import Any

from moto.stepfunctions.parser.api import EvaluationFailedEventDetails, HistoryEventType
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.common.query_language import QueryLanguageMode
from moto.stepfunctions.parser.asl.component.common.string.string_expression import (
    StringJSONata,
    StringVariableSample,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

from harness.engine import field_path
from harness.engine.jsonata_eval import UNDEFINED, JSONataEvaluationError, evaluate

LOG = logging.getLogger(__name__)


def variables_of(env: Environment) -> dict[str, Any]:
    """Variables visible to the current state: outer scopes first, the state's own scope wins."""
    store = env.variable_store
    merged: dict[str, Any] = {}
    merged.update(store._outer_scope)
    merged.update(store._inner_scope)
    return merged


def states_of(env: Environment) -> dict[str, Any]:
    # input, context, and result/errorOutput when set. The context object holds datetimes
    # (Execution.StartTime ...): serialise them as the JSONPath side of moto shows them.
    data: dict[str, Any] = env.states._states_data
    return json.loads(to_json_str(data))


def query_evaluation_error(env: Environment, cause: str) -> FailureEventException:
    error_name = StatesErrorName(typ=StatesErrorNameType.StatesQueryEvaluationError)
    return FailureEventException(failure_event=FailureEvent(
        env=env,
        error_name=error_name,
        event_type=HistoryEventType.EvaluationFailed,
        event_details=EventDetails(evaluationFailedEventDetails=EvaluationFailedEventDetails(
            error=error_name.error_name, cause=cause)),
    ))


def _raise_recorded(env: Environment, ex: FailureEventException) -> None:
    # AWS records an EvaluationFailed event (with the state-decorated cause) before the failure.
    env.event_manager.add_event(
        context=env.event_history_context,
        event_type=HistoryEventType.EvaluationFailed,
        event_details=EventDetails(evaluationFailedEventDetails=ex.get_evaluation_failed_event_details()),
    )
    raise ex


def evaluate_in_state(env: Environment, expression: str, bindings: dict[str, Any]) -> Any:
    field = field_path.current(fallback=env.next_field_name)
    try:
        result = evaluate(expression, bindings)
    except JSONataEvaluationError as err:
        _raise_recorded(env, query_evaluation_error(
            env, f"The JSONata expression '{expression}' specified for the field '{field}' "
                 f"threw an error during evaluation. {err.message}"))
    if result is UNDEFINED:
        _raise_recorded(env, query_evaluation_error(
            env, f"The JSONata expression '{expression}' specified for the field '{field}' "
                 f"returned nothing (undefined)."))
    return result


def _string_jsonata_eval_body(self: StringJSONata, env: Environment) -> None:
    bindings = variables_of(env)
    bindings["states"] = states_of(env)
    env.stack.append(evaluate_in_state(env, self.expression, bindings))


def _string_variable_sample_eval_body(self: StringVariableSample, env: Environment) -> None:
    # "$var.path" in a JSONPath state (or a bare variable in JSONata): read from the variables.
    bindings = variables_of(env)
    if self.query_language_mode == QueryLanguageMode.JSONata:
        bindings["states"] = states_of(env)
    env.stack.append(evaluate_in_state(env, self.expression, bindings))


def install() -> None:
    StringJSONata._eval_body = _string_jsonata_eval_body  # type: ignore[method-assign]
    StringVariableSample._eval_body = _string_variable_sample_eval_body  # type: ignore[method-assign]
