"""Waiting for an execution to start or end on the emulator's event, not on a poll.

The emulator serves one extra path (``harness/stacks/emulator_waits.py``) that answers as soon
as an execution exists or has ended, or a queue holds a given message, and names that path on
every answer (the ``X-Harness-Wait`` header). ``execution_wake`` gives ``wait_until`` a
``wake``: between two looks at the condition it blocks on that path until what it waits for
has happened, instead of sleeping a poll interval and asking again. On a stack whose answers
name no such path (real AWS, another emulator) it returns None, and the wait polls with the
documented operations as before.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

PATH = "/_harness/wait"
HEADER = "X-Harness-Wait"
# As SQS caps a long poll: a wait longer than that is asked again.
MAX_SECONDS = 20.0
UNTIL = ("started", "ended")
ENDED = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")

# Endpoint URL -> the wait URL its answers named, or None when they named none.
_offered: dict[str, str | None] = {}
_offered_lock = threading.Lock()


@dataclass(frozen=True)
class Condition:
    """What a wait on the emulator ends on: the execution started or ended, or the queue holding a
    message with the text in its body; whichever comes first."""

    seconds: float
    execution: str | None = None
    until: str | None = None
    queue: str | None = None
    holding: str | None = None
    region: str | None = None  # the queue's; an execution's ARN says its own

    def __post_init__(self) -> None:
        if not 0 <= self.seconds <= MAX_SECONDS:
            raise ValueError(f"seconds must be from 0 to {MAX_SECONDS:g}, got {self.seconds!r}")
        if bool(self.execution) != bool(self.until):
            raise ValueError("execution and until go together: the execution and whether it has started or ended")
        if self.until is not None and self.until not in UNTIL:
            raise ValueError(f"until must be one of {', '.join(UNTIL)}, got {self.until!r}")
        if bool(self.queue) != bool(self.holding):
            raise ValueError("queue and holding go together: the queue to look in and the text to look for")
        if not self.execution and not self.queue:
            raise ValueError("the wait needs execution= and until=, or queue= and holding=, or both")
        if self.execution:
            parts = self.execution.split(":")
            if len(parts) < 8 or parts[5] != "execution":
                raise ValueError(f"not an execution ARN: {self.execution!r}")
        if self.queue and not self.queue_region:
            raise ValueError("a wait on a queue alone needs its region=")

    @property
    def queue_region(self) -> str | None:
        return self.region or (self.execution.split(":")[3] if self.execution else None)

    def met(self, status: str | None, holding: bool) -> bool:
        if holding:
            return True
        return status is not None and (self.until == "started" or status in ENDED)

    def query(self) -> dict[str, str]:
        fields = {"seconds": f"{self.seconds:.3f}"}
        for name in ("execution", "until", "queue", "holding", "region"):
            value = getattr(self, name)
            if value:
                fields[name] = value
        return fields

    @classmethod
    def from_query(cls, query: dict[str, list[str]]) -> Condition:
        def one(name: str) -> str | None:
            values = query.get(name)
            return values[0] if values else None

        try:
            seconds = float(one("seconds") or "")
        except ValueError:
            raise ValueError(f"seconds must be a number, got {one('seconds')!r}") from None
        return cls(seconds, one("execution"), one("until"), one("queue"), one("holding"), one("region"))

    def __str__(self) -> str:
        awaited = [f"execution {self.execution} to have {self.until}"] if self.execution else []
        awaited += [f"{self.queue} to hold {self.holding!r}"] if self.queue else []
        return " or ".join(awaited)


def offered_wait(client: Any) -> str | None:
    """The wait URL the client's endpoint names, learnt from one answer; None if it names none."""
    endpoint = client.meta.endpoint_url
    with _offered_lock:
        if endpoint in _offered:
            return _offered[endpoint]
    url = None
    try:
        headers = client.list_state_machines(maxResults=1)["ResponseMetadata"]["HTTPHeaders"]
        path = headers.get(HEADER.lower())
        url = urllib.parse.urljoin(endpoint, path) if path else None
    except Exception as exc:  # noqa: BLE001 - a stack that cannot say is polled, as before
        log.info("polling %s: could not ask whether it offers waits: %s", endpoint, exc)
    with _offered_lock:
        _offered[endpoint] = url
    return url


def wait_on(url: str, condition: Condition) -> dict[str, Any]:
    """Block until the condition holds or its seconds pass; what the emulator saw then."""
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode(condition.query())}")
    with urllib.request.urlopen(request, timeout=condition.seconds + 10) as answer:
        return json.loads(answer.read())


def _wake(client: Any, make: Callable[[float], Condition]) -> Callable[[float], bool] | None:
    url = offered_wait(client)
    if url is None:
        return None
    broken: list[str] = []

    def wake(seconds: float) -> bool:
        if broken:
            return False
        condition = make(min(max(seconds, 0.0), MAX_SECONDS))
        try:
            wait_on(url, condition)
        except (OSError, ValueError) as exc:
            broken.append(str(exc))
            log.warning("waiting for %s by polling: the emulator's wait failed: %s", condition, exc)
            return False
        return True

    return wake


def execution_wake(
    sfn: Any, execution: str, until: str, *, queue: str | None = None, holding: str | None = None
) -> Callable[[float], bool] | None:
    """A ``wake`` for ``harness.waiting.wait_until``: blocks until the execution has started or
    ended (or the queue holds the text), at most the given seconds; None where the stack offers
    no such wait. If the wait fails (the emulator went away), it says so once and the loop
    falls back to its poll interval."""
    return _wake(sfn, lambda seconds: Condition(seconds, execution, until, queue, holding))


def queue_wake(sqs: Any, queue: str, holding: str) -> Callable[[float], bool] | None:
    """A ``wake`` that blocks until the queue holds a message with ``holding`` in its body (a
    message set aside on a dead-letter queue, say), as ``execution_wake`` does for executions."""
    region = sqs.meta.region_name
    return _wake(sqs, lambda seconds: Condition(seconds, queue=queue, holding=holding, region=region))
