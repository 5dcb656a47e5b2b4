"""The failure the engine raises where AWS fails a task with ``States.Runtime``."""

from __future__ import annotations

from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails


def states_runtime(env: Environment, cause: str) -> FailureEventException:
    """A ``TaskFailed`` with ``States.Runtime`` and this cause, for the state being evaluated."""
    runtime = StatesErrorNameType.StatesRuntime
    return FailureEventException(failure_event=FailureEvent(
        env=env,
        error_name=StatesErrorName(typ=runtime),
        event_type=HistoryEventType.TaskFailed,
        event_details=EventDetails(taskFailedEventDetails=TaskFailedEventDetails(
            error=runtime.to_name(), cause=cause)),
    ))
