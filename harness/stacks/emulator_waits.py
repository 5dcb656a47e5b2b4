"""Inside the emulator: a wait that ends when the execution does, not at the next poll.

A test waiting for an execution to start or end would otherwise ask DescribeExecution every
few milliseconds: thousands of requests in a suite, each parsed, answered and serialised by the
emulator and its client, on the cores the pipeline's own processes need. Here one request
waits instead, in the emulator, where the answer is an attribute read:

    GET /_harness/wait?execution=ARN&until=started|ended&queue=URL&holding=TEXT[&region=R]&seconds=S

(the execution, the queue or both) answers as soon as the execution exists (``started``) or has
ended (``ended``), or the queue holds a message whose body contains TEXT (a request or a message
set aside rather than taken), or after S seconds (at most 20, as SQS caps a long poll), with what it saw: ``{"status": "RUNNING" | ... |
null, "holding": true | false}``. Every answer of the emulator names this path in the
``X-Harness-Wait`` header, so a client learns from any answer that it may wait here, and a
client of real AWS, whose answers carry no such header, keeps to the documented operations
(``harness/emulator_wait.py``). Nothing here changes what the AWS operations answer.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from harness.emulator_wait import HEADER, MAX_SECONDS, PATH, Condition

# What the wait falls back on where no signal comes (harness/engine/execution_changes.py): an
# attribute read in this process, so checking often costs next to nothing.
CHECK_INTERVAL = 0.01


def execution_status(arn: str) -> str | None:
    """The execution's status as DescribeExecution would give it; None while it does not exist."""
    from moto.stepfunctions.exceptions import ExecutionDoesNotExist, InvalidArn, StateMachineDoesNotExist
    from moto.stepfunctions.responses import get_backend

    parts = arn.split(":")
    if len(parts) < 8 or parts[5] != "execution":
        raise ValueError(f"not an execution ARN: {arn!r}")
    region, account = parts[3], parts[4]
    try:
        status = get_backend(account, region).describe_execution(arn).status
    except (ExecutionDoesNotExist, StateMachineDoesNotExist):
        return None
    except InvalidArn as exc:
        raise ValueError(f"not an execution ARN: {arn!r} ({exc})") from None
    return str(getattr(status, "value", status))


def queue_holds(queue_url: str, region: str, text: str) -> bool:
    """Whether any message of the queue, visible or not, has ``text`` in its body."""
    from moto.sqs.exceptions import QueueDoesNotExist
    from moto.sqs.models import sqs_backends

    account, name = urllib.parse.urlsplit(queue_url).path.strip("/").split("/")[-2:]
    try:
        queue = sqs_backends[account][region].get_queue(name)
    except QueueDoesNotExist:
        return False
    return any(text in message.body for message in list(queue._messages))


def seen(condition: Condition) -> dict[str, Any]:
    status = execution_status(condition.execution) if condition.execution else None
    holding = bool(condition.queue and condition.holding and condition.queue_region) and queue_holds(
        str(condition.queue), str(condition.queue_region), str(condition.holding)
    )
    return {"status": status, "holding": holding}


def wait_for(condition: Condition) -> dict[str, Any]:
    from harness.engine import execution_changes

    deadline = time.monotonic() + condition.seconds
    while True:
        # The count before the look: a start or end during the look still wakes the wait after it.
        changes = execution_changes.count()
        now = seen(condition)
        left = deadline - time.monotonic()
        if condition.met(now["status"], now["holding"]) or left <= 0:
            return now
        # An execution's start or end wakes the wait at once (it returns at once only for a change
        # since the look, so it never spins); a message reaching the queue, or a start signalled a
        # moment before the run is listed, is seen at the next look, CHECK_INTERVAL on.
        execution_changes.wait_after(changes, min(left, CHECK_INTERVAL))


def _answer(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def serving_waits(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The emulator's WSGI app, with the wait path answered here and every answer naming it."""

    def waits(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PATH:
            try:
                condition = Condition.from_query(urllib.parse.parse_qs(environ.get("QUERY_STRING", "")))
                return _answer(start_response, "200 OK", wait_for(condition))
            except ValueError as exc:
                return _answer(start_response, "400 Bad Request", {"message": str(exc)})

        def naming_the_wait(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            return start_response(status, [*headers, (HEADER, PATH)], *rest)

        return app(environ, naming_the_wait)

    return waits


__all__ = ["MAX_SECONDS", "serving_waits"]
