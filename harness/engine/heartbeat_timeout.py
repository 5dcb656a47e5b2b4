"""A missed heartbeat is a ``States.HeartbeatTimeout`` to Retry and Catch, as AWS documents.

AWS's error-handling guide: ``States.Timeout`` is raised when "a Task state either ran longer
than the TimeoutSeconds value, or failed to send a heartbeat for a period longer than the
HeartbeatSeconds value"; ``States.HeartbeatTimeout`` names the heartbeat case and "is only
available inside the Catch and Retry fields". The execution recorded on AWS
(conformance case ``test_heartbeat_timeout``) indeed fails with ``States.Timeout``.

moto turns every ``TimeoutError`` (``HeartbeatTimeoutError`` included) into a plain
``States.Timeout``, so a Retry or Catch on ``States.HeartbeatTimeout`` never matches. Here the
failure of a missed heartbeat keeps the reported name ``States.Timeout`` but carries an error
name that also equals ``States.HeartbeatTimeout`` when ErrorEquals compares against it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import StateTask
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_activitiy import (
    StateTaskActivity,
)
from moto.stepfunctions.parser.asl.eval.callback.callback import HeartbeatTimeoutError
from moto.stepfunctions.parser.asl.eval.environment import Environment

HEARTBEAT = StatesErrorNameType.StatesHeartbeatTimeout.to_name()
TIMEOUT = StatesErrorNameType.StatesTimeout.to_name()

FromError = Callable[[StateTask, Environment, Exception], FailureEvent]


class HeartbeatTimeoutName(StatesErrorName):
    """Reported as States.Timeout; matches ErrorEquals of States.Timeout or States.HeartbeatTimeout.

    ErrorEquals tests ``error_name in error_names``; Python asks this subclass's ``__eq__`` first
    because it overrides the comparison of its base class.
    """

    def __init__(self) -> None:
        super().__init__(typ=StatesErrorNameType.StatesTimeout)

    def matches(self, error_name: str | None) -> bool:
        return error_name in (TIMEOUT, HEARTBEAT)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ErrorName):
            return self.matches(other.error_name)
        return False

    __hash__ = None  # type: ignore[assignment]


def _wrap(original: FromError) -> FromError:
    @functools.wraps(original)
    def _from_error(self: StateTask, env: Environment, ex: Exception) -> FailureEvent:
        event = original(self, env, ex)
        if isinstance(ex, HeartbeatTimeoutError) and event.error_name is not None \
                and event.error_name.error_name == TIMEOUT:
            event.error_name = HeartbeatTimeoutName()  # type: ignore[misc]
        return event

    _from_error.__heartbeat_patched__ = True  # type: ignore[attr-defined]
    return _from_error


def install() -> None:
    # The two classes whose _from_error turns TimeoutError into States.Timeout; every service
    # task reaches StateTask's through super(), activities have their own.
    for cls in (StateTask, StateTaskActivity):
        if not getattr(cls._from_error, "__heartbeat_patched__", False):
            cls._from_error = _wrap(cls._from_error)  # type: ignore[method-assign]
