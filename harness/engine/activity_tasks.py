"""Activities: an Activity task state's work reaches GetActivityTask, as AWS documents it.

moto's interpreter queues an activity task on the execution's activity store, but every
execution is given an empty one, so a Task on ``arn:...:activity:NAME`` failed with
ActivityDoesNotExist; and the server had no GetActivityTask (HTTP 500). Here CreateActivity and
DeleteActivity keep one queue per activity ARN that every execution shares, and GetActivityTask
(API reference) long-polls it for up to 60 seconds: a task answers ``taskToken`` and ``input``
(and the state records ActivityStarted with the ``workerName``), none answers an empty result;
an unknown activity is ``ActivityDoesNotExist``.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.models import StepFunctionBackend
from moto.stepfunctions.parser.asl.eval.callback.callback import ActivityCallbackEndpoint
from moto.stepfunctions.parser.backend.activity import Activity
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine.actions import param, register

LONG_POLL_S = 60.0
POLL_INTERVAL_S = 0.1

# Activity ARNs name their account and region, so one store serves every backend.
queues: dict[str, Activity] = {}
_lock = threading.Lock()


def _wrap_create(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_activity(self: StepFunctionBackend, name: str, *args: Any, **kwargs: Any) -> Any:
        activity = original(self, name, *args, **kwargs)
        with _lock:
            queues.setdefault(activity.arn, Activity(arn=activity.arn, name=activity.name))
        return activity

    create_activity.__activity_tasks__ = True  # type: ignore[attr-defined]
    return create_activity


def _wrap_delete(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def delete_activity(self: StepFunctionBackend, activity_arn: str) -> None:
        original(self, activity_arn)
        with _lock:
            queues.pop(activity_arn, None)

    return delete_activity


def _wrap_execution_init(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def __init__(self: Execution, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self._activity_store = queues

    return __init__


def _take(activity_arn: str, deadline: float) -> Any:
    while True:
        queue = queues.get(activity_arn)
        if queue is not None:
            try:
                return queue.get_task()
            except IndexError:
                pass
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_INTERVAL_S)


def _notify_started(backend: Any, token: str, worker_name: str | None) -> None:
    for machine in backend.state_machines:
        for execution in machine.executions:
            worker = getattr(execution, "exec_worker", None)
            env = getattr(worker, "env", None)
            endpoint = env.callback_pool_manager.get(token) if env is not None else None
            if isinstance(endpoint, ActivityCallbackEndpoint):
                endpoint.notify_activity_task_start(worker_name=worker_name)
                return


def get_activity_task(self: StepFunctionResponse) -> ActionResult:
    arn = param(self, "activityArn")
    backend = self.stepfunction_backend
    backend.describe_activity(arn)  # InvalidArn, ActivityDoesNotExist
    task = _take(arn, time.monotonic() + LONG_POLL_S)
    if task is None:
        return ActionResult({})
    _notify_started(backend, task.task_token, param(self, "workerName"))
    return ActionResult({"taskToken": task.task_token, "input": task.task_input})


def install() -> None:
    register(get_activity_task)
    if getattr(StepFunctionBackend.create_activity, "__activity_tasks__", False):
        return
    StepFunctionBackend.create_activity = _wrap_create(StepFunctionBackend.create_activity)  # type: ignore[method-assign]
    StepFunctionBackend.delete_activity = _wrap_delete(StepFunctionBackend.delete_activity)  # type: ignore[method-assign]
    Execution.__init__ = _wrap_execution_init(Execution.__init__)  # type: ignore[method-assign]
