"""A ``"key.$": "$.path"`` that does not resolve fails the state with States.Runtime, as AWS does.

AWS: a JSONPath in ``Parameters`` (or ``ResultSelector``, ``ItemSelector``) that matches nothing
in the state's input is a run-time error, ``States.Runtime`` (no Retry or Catch handles it), with
the cause "The JSONPath '$.path' specified for the field 'key.$' could not be found in the input
'...'". moto raised the bare lookup error inside the Task, where each service integration names
unknown errors after itself: a DynamoDB task failed with ``DynamoDB.AmazonDynamoDBException``.
Here the lookup fails the state with States.Runtime, and every service integration lets a
failure already decided (a FailureEventException) through unchanged, as the base state does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.payload.payloadvalue.payloadbinding.payload_binding import (
    PayloadBindingStringExpressionSimple,
)
from moto.stepfunctions.parser.asl.component.state.exec.execute_state import ExecutionState
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.parser.asl.utils.json_path import NoSuchJsonPathError

from harness.engine.failures import states_runtime

_original_eval_val = PayloadBindingStringExpressionSimple._eval_val


def runtime_failure(env: Environment, missing: NoSuchJsonPathError, field: str) -> FailureEventException:
    return states_runtime(env, f"The JSONPath '{missing.json_path}' specified for the field '{field}' "
                               f"could not be found in the input '{to_json_str(missing.data)}'")


def _eval_val(self: PayloadBindingStringExpressionSimple, env: Environment) -> Any:
    try:
        return _original_eval_val(self, env)
    except NoSuchJsonPathError as missing:
        raise runtime_failure(env, missing, f"{self.field}.$") from None


def _decided_failures_pass(original: Callable[..., FailureEvent]) -> Callable[..., FailureEvent]:
    @functools.wraps(original)
    def _from_error(self: ExecutionState, env: Environment, ex: Exception) -> FailureEvent:
        if isinstance(ex, FailureEventException):
            return ex.failure_event
        return original(self, env, ex)

    _from_error.__decided_failures_pass__ = True  # type: ignore[attr-defined]
    return _from_error


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def install() -> None:
    # The service integrations' classes are all imported by the parser's preprocessor.
    from moto.stepfunctions.parser.asl.parse import preprocessor  # noqa: F401

    PayloadBindingStringExpressionSimple._eval_val = _eval_val  # type: ignore[method-assign]
    for cls in _subclasses(ExecutionState):
        own = cls.__dict__.get("_from_error")
        if own is not None and not getattr(own, "__decided_failures_pass__", False):
            cls._from_error = _decided_failures_pass(own)  # type: ignore[attr-defined]
