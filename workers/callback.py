"""The callback side of ``sqs:sendMessage.waitForTaskToken``: one task per message.

The state machine sends ``{"taskToken": ..., "input": {...}}``. The task runs while a thread
sends heartbeats; its result goes back with ``SendTaskSuccess``, a named error
(``error_name`` on the exception) with ``SendTaskFailure``. AWS errors (a service that could
not be reached) are not answered: the message comes back and the task is tried again.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from workers import aws, faults, periodic
from workers.queue_loop import LAST_DELIVERY, Handler, Rejected

log = logging.getLogger(__name__)

Task = Callable[[dict[str, Any]], dict[str, Any]]
# What SendTask* answers when the execution no longer waits for this token.
GONE = {"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"}
MAX_CAUSE = 32768
# What the state machine sends is the request plus a few results: far below this. A task's
# message over it is answered with Task.InputTooLarge (never dropped, never dead-lettered, so
# the execution does not wait out its timeout); a message without a token is set aside.
MAX_BODY_BYTES = 64 * 1024
# SQS's own cap on a message: nothing bigger is even parsed.
MAX_MESSAGE_BYTES = 1024 * 1024
# Step Functions' cap on a task's output (SendTaskSuccess): 256 KiB of UTF-8.
MAX_OUTPUT_BYTES = 256 * 1024
INPUT_TOO_LARGE = "Task.InputTooLarge"
INVALID_INPUT = "Task.InvalidInput"
OUTPUT_TOO_LARGE = "Task.OutputTooLarge"
# The last delivery of a task that kept failing on an AWS call: answered, not dead-lettered.
GAVE_UP = "Worker.AwsError"
# What SendTaskFailure answers for a token Step Functions never issued: not from it.
FOREIGN = {"InvalidToken", "TaskDoesNotExist"}


@dataclass(frozen=True)
class ReadThenWrite:
    """A task in two steps: ``read`` (reads only, nothing a stale task may not do) runs while the
    app asks whether the execution still waits for the task, and ``write(task_input, what was
    read)`` only once it does. Called as a plain task, it does one after the other."""

    read: Callable[[dict[str, Any]], Any]
    write: Callable[[dict[str, Any], Any], dict[str, Any]]

    def __call__(self, task_input: dict[str, Any]) -> dict[str, Any]:
        return self.write(task_input, self.read(task_input))


class UnusableTask(Exception):
    """A message with a task token whose task this app cannot take: answered with ``error``."""

    def __init__(self, token: str, error: str, cause: str) -> None:
        super().__init__(cause)
        self.token = token
        self.error = error


def parse_callback(body: str) -> tuple[str, dict[str, Any]]:
    size = len(body.encode("utf-8", errors="replace"))
    too_big = f"the message is {size} bytes; a task from the state machine is at most {MAX_BODY_BYTES}"
    if size > MAX_MESSAGE_BYTES:
        raise Rejected(too_big)
    try:
        message = json.loads(body)
    except ValueError as exc:
        raise Rejected(f"the message is not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise Rejected(f"the message must be a JSON object, got {type(message).__name__}")
    token = message.get("taskToken")
    if size > MAX_BODY_BYTES:
        if isinstance(token, str) and token:
            raise UnusableTask(token, INPUT_TOO_LARGE, too_big)
        raise Rejected(too_big)
    if token is None or token == "":
        raise Rejected("the message has no taskToken: it was not sent by the state machine")
    if not isinstance(token, str):
        raise Rejected(f"the message's taskToken must be a string, got {type(token).__name__}")
    task_input = message.get("input", {})
    if not isinstance(task_input, dict):
        raise UnusableTask(
            token, INVALID_INPUT, f"the message's input must be a JSON object, got {type(task_input).__name__}"
        )
    return token, task_input


def heartbeats(sfn: Any, token: str, interval: float) -> AbstractContextManager[None]:
    def beat() -> bool:
        try:
            sfn.send_task_heartbeat(taskToken=token)
        except ClientError as exc:
            log.warning("heartbeat refused: %s", exc.response["Error"]["Code"])
            return False
        except BotoCoreError as exc:
            # The endpoint blinked: the next beat may get through before HeartbeatSeconds.
            log.warning("heartbeat not sent: %s", exc)
        return True

    return periodic.every(interval, beat, "heartbeat")


def still_waiting(sfn: Any, token: str, *, confirmations: int = 4, pause: float = 0.25) -> bool:
    """Whether the execution still waits for this task: a heartbeat is the cheap way to ask.

    A redelivered message whose task already timed out, or was answered, must not be worked on:
    a late ingest or fetch would overwrite what the execution recorded since (a FAILED status).
    InvalidToken is asked again a few times before it counts: the emulator sends the message a
    moment before it starts listening for heartbeats, and a fast app can ask in between.
    """
    for attempt in range(confirmations):
        try:
            sfn.send_task_heartbeat(taskToken=token)
            return True
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code not in GONE:
                raise
            if code != "InvalidToken" or attempt == confirmations - 1:
                log.warning(
                    "stale task dropped without doing it: the execution no longer waits for it (%s)", code
                )
                return False
        # A retry pause against a remote service, not a synchronisation: nothing here to wait on.
        time.sleep(pause * (attempt + 1))
    return False


def callback_handler(task: Task, *, heartbeat_interval: float, sfn: Any = None) -> Handler:
    sfn = sfn if sfn is not None else aws.client("stepfunctions")

    def answer(call: Callable[..., Any], **kwargs: Any) -> None:
        try:
            call(**kwargs)
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code not in GONE:
                raise
            log.warning("the execution no longer waits for this task (%s)", code)

    def refuse(unusable: UnusableTask) -> None:
        """Answer a task this app cannot take, so its execution does not wait out its timeout; a
        token Step Functions never issued means the message is not from it: set it aside."""
        log.warning("task refused: %s: %s", unusable.error, unusable)
        try:
            sfn.send_task_failure(taskToken=unusable.token, error=unusable.error, cause=str(unusable)[:MAX_CAUSE])
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code in FOREIGN:
                raise Rejected(str(unusable)) from None
            if code not in GONE:
                raise
            log.warning("the execution no longer waits for this task (%s)", code)

    # A two-step task's reads run here while the app asks whether its task is still wanted: one
    # thread, kept between tasks.
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read") if isinstance(task, ReadThenWrite) else None

    def handle(message: dict[str, Any]) -> None:
        try:
            token, task_input = parse_callback(message["Body"])
        except UnusableTask as unusable:
            refuse(unusable)
            return
        reading: Future[Any] | None = None
        if reader is not None and isinstance(task, ReadThenWrite):
            reading = reader.submit(task.read, task_input)
        wanted = False
        try:
            wanted = still_waiting(sfn, token)
        finally:
            if not wanted and reading is not None:
                # A task not worked on has no call of its own still on its way once it is handled.
                wait([reading])
        if not wanted:
            return
        with heartbeats(sfn, token, heartbeat_interval):
            faults.on_task_start()
            try:
                if reading is not None and isinstance(task, ReadThenWrite):
                    result = task.write(task_input, reading.result())
                else:
                    result = task(task_input)
            except (BotoCoreError, ClientError) as exc:
                if not message.get(LAST_DELIVERY):
                    raise  # transient: leave the message for another try
                # The queue would dead-letter it next: answer instead, or the execution waits.
                what = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
                cause = f"an AWS call kept failing until the task's last delivery: {what}: {exc}"
                log.warning("task failed: %s: %s", GAVE_UP, cause)
                answer(sfn.send_task_failure, taskToken=token, error=GAVE_UP, cause=cause[:MAX_CAUSE])
                return
            except Exception as exc:
                error = getattr(exc, "error_name", None) or "Worker.Error"
                cause = str(exc) if error != "Worker.Error" else f"{type(exc).__name__}: {exc}"
                log.warning("task failed: %s: %s", error, cause)
                answer(sfn.send_task_failure, taskToken=token, error=error, cause=cause[:MAX_CAUSE])
                return
        output = json.dumps(result)
        size = len(output.encode("utf-8"))
        if size > MAX_OUTPUT_BYTES:
            cause = f"the task's output is {size} bytes; Step Functions takes at most {MAX_OUTPUT_BYTES}"
            log.warning("task failed: %s: %s", OUTPUT_TOO_LARGE, cause)
            answer(sfn.send_task_failure, taskToken=token, error=OUTPUT_TOO_LARGE, cause=cause)
            return
        answer(sfn.send_task_success, taskToken=token, output=output)

    return handle
