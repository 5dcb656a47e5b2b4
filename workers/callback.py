"""The callback side of ``sqs:sendMessage.waitForTaskToken``: one task per message.

The state machine sends ``{"taskToken": ..., "input": {...}}``. The task runs while a thread
sends heartbeats; its result goes back with ``SendTaskSuccess``, a named error
(``error_name`` on the exception) with ``SendTaskFailure``. AWS errors (a service that could
not be reached) are not answered: the message comes back and the task is tried again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from workers import aws
from workers.queue_loop import Handler, Rejected

log = logging.getLogger(__name__)

Task = Callable[[dict[str, Any]], dict[str, Any]]
# What SendTask* answers when the execution no longer waits for this token.
GONE = {"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"}
MAX_CAUSE = 32768


def parse_callback(body: str) -> tuple[str, dict[str, Any]]:
    try:
        message = json.loads(body)
    except ValueError as exc:
        raise Rejected(f"the message is not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise Rejected(f"the message must be a JSON object, got {type(message).__name__}")
    token = message.get("taskToken")
    if not isinstance(token, str) or not token:
        raise Rejected("the message has no taskToken: it was not sent by the state machine")
    task_input = message.get("input", {})
    if not isinstance(task_input, dict):
        raise Rejected(f"the message's input must be a JSON object, got {type(task_input).__name__}")
    return token, task_input


@contextmanager
def heartbeats(sfn: Any, token: str, interval: float) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            try:
                sfn.send_task_heartbeat(taskToken=token)
            except ClientError as exc:
                log.warning("heartbeat refused: %s", exc.response["Error"]["Code"])
                return

    thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def callback_handler(task: Task, *, heartbeat_interval: float) -> Handler:
    sfn = aws.client("stepfunctions")

    def answer(call: Callable[..., Any], **kwargs: Any) -> None:
        try:
            call(**kwargs)
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code not in GONE:
                raise
            log.warning("the execution no longer waits for this task (%s)", code)

    def handle(message: dict[str, Any]) -> None:
        token, task_input = parse_callback(message["Body"])
        with heartbeats(sfn, token, heartbeat_interval):
            try:
                result = task(task_input)
            except (BotoCoreError, ClientError):
                raise  # transient: leave the message for another try
            except Exception as exc:
                error = getattr(exc, "error_name", None) or "Worker.Error"
                cause = str(exc) if error != "Worker.Error" else f"{type(exc).__name__}: {exc}"
                log.warning("task failed: %s: %s", error, cause)
                answer(sfn.send_task_failure, taskToken=token, error=error, cause=cause[:MAX_CAUSE])
                return
        answer(sfn.send_task_success, taskToken=token, output=json.dumps(result))

    return handle
