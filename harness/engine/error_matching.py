"""Retry and Catch match error names as AWS's error-handling guide says, and any name can be reported.

AWS ("Error handling in Step Functions workflows", Error names):
  * ``States.ALL`` matches any known error name, but cannot catch ``States.Runtime`` nor the
    terminal ``States.DataLimitExceeded``; ``States.Runtime`` is not retriable and always fails
    the execution.
  * ``States.TaskFailed`` in a Retry or Catch is a wildcard for any known error name except
    ``States.Timeout`` (a missed heartbeat is reported as ``States.Timeout`` too).
moto lets ``States.ALL`` catch everything and ``States.TaskFailed`` only errors outside
``States.*``.

moto also refuses, at run time, an error reported with a ``States.`` name by a Fail state's
``Error``/``ErrorPath``, by ``SendTaskFailure`` or by a mocked ``Throw``: the execution ends with
a ValueError as its cause. A pipeline that catches ``States.Timeout`` and re-raises it from a Fail
state (``ErrorPath: $.failure.Error``) meets exactly that. The name rule belongs to definitions
(the parser still applies it to ErrorEquals); reported names pass through unchanged here.
"""

from __future__ import annotations

from typing import Final

from moto.stepfunctions.parser.asl.component.common.error_name import error_equals_decl
from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service_callback
from moto.stepfunctions.parser.asl.component.state.fail import state_fail
from moto.stepfunctions.parser.asl.eval.environment import Environment

ALL: Final = StatesErrorNameType.StatesALL.to_name()
TASK_FAILED: Final = StatesErrorNameType.StatesTaskFailed.to_name()
TIMEOUT: Final = StatesErrorNameType.StatesTimeout.to_name()
RUNTIME: Final = StatesErrorNameType.StatesRuntime.to_name()
DATA_LIMIT: Final = StatesErrorNameType.StatesStatesDataLimitExceeded.to_name()


class ReportedErrorName(ErrorName):
    """An error name a state reported at run time: any string, ``States.`` names included."""


def names_match(error_equals: list[str], name: str) -> bool:
    """Whether ErrorEquals names (as written in a definition) cover a reported error name."""
    if name == RUNTIME:
        return False
    if name == DATA_LIMIT:
        return DATA_LIMIT in error_equals
    if ALL in error_equals:
        return True
    if TASK_FAILED in error_equals and name != TIMEOUT:
        return True
    return name in error_equals


def error_equals_matches(error_equals: list[ErrorName], error: ErrorName) -> bool:
    """Whether a Retrier's or Catcher's ErrorEquals covers the reported error."""
    name = error.error_name
    if name == RUNTIME:
        return False
    if name == DATA_LIMIT:
        return DATA_LIMIT in {e.error_name for e in error_equals}
    listed = {e.error_name for e in error_equals}
    if ALL in listed:
        return True
    if TASK_FAILED in listed and name != TIMEOUT:
        return True
    # The reported error's own equality first, not the names: a missed heartbeat's error name
    # also equals States.HeartbeatTimeout (heartbeat_timeout.HeartbeatTimeoutName).
    return any(error == e for e in error_equals)


def _eval_body(self: error_equals_decl.ErrorEqualsDecl, env: Environment) -> None:
    error: ErrorName | None = env.stack.pop()
    # A Fail state without Error reports no error name: no Retrier or Catcher matches it.
    env.stack.append(error is not None and error_equals_matches(self.error_names, error))


def install() -> None:
    error_equals_decl.ErrorEqualsDecl._eval_body = _eval_body  # type: ignore[method-assign]
    # The run-time reporters look CustomErrorName up in their own module namespace.
    for module in (state_fail, state_task_service_callback, mock_eval_utils):
        module.CustomErrorName = ReportedErrorName  # type: ignore[attr-defined,misc]
