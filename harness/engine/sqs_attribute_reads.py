"""SQS's queue attributes worked out when read, one at a time, and its clock read without datetimes.

Replaces ``moto.sqs.models.Queue.attributes``, a property that builds every attribute of the
queue each time it is read. Among them are the three approximate counts, each a pass over all the
queue's messages that asks the clock twice per message. ``SendMessage`` reads it for one
attribute (``ContentBasedDeduplication``), a FIFO queue's send three times more, and
``GetQueueAttributes`` twice per name asked: the cost of a send grew with the queue's backlog, and
under a burst it was a tenth of the emulator's time (bench/README.md). Here ``attributes`` is a
read-only mapping with moto's keys in moto's order whose values are moto's, each worked out on
first read: what reads one attribute pays for one, what reads all of them gets the same dict as
before, but for the two timestamps, in whole seconds as SQS gives them.

Replaces ``moto.sqs.models.{unix_time,unix_time_millis}`` too, which SQS asks for every visibility,
delay and retention check: moto builds two datetimes and subtracts them to get what
``time.time()`` says. A call with a datetime goes to moto's own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Any

import moto.sqs.models
from moto.core.utils import camelcase_to_underscores
from moto.sqs.models import Queue

_original_unix_time = moto.sqs.models.unix_time
_original_unix_time_millis = moto.sqs.models.unix_time_millis
_original_attributes = Queue.attributes
# SQS gives these in whole seconds since the epoch ("1700000000"); moto gave its clock's float
# ("1700000000.1803458"), which a client reading them as integers cannot parse.
WHOLE_SECONDS = frozenset({"CreatedTimestamp", "LastModifiedTimestamp"})


def unix_time(dt: Any = None) -> float:
    return time.time() if dt is None else _original_unix_time(dt)


def unix_time_millis(dt: Any = None) -> float:
    return time.time() * 1000.0 if dt is None else _original_unix_time_millis(dt)


class QueueAttributes(Mapping[str, Any]):
    """A queue's attributes as moto's ``Queue.attributes`` gives them (its two timestamps in whole
    seconds, as SQS gives them), each worked out on first read."""

    def __init__(self, queue: Queue) -> None:
        self._queue = queue
        names = list(queue.BASE_ATTRIBUTES)
        if queue.fifo_queue:
            names += queue.FIFO_ATTRIBUTES
        if queue.kms_master_key_id:  # type: ignore[attr-defined]
            names += queue.KMS_ATTRIBUTES
        self._names = dict.fromkeys(names)
        self._values: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._values:
            self._values[name] = self._work_out(name)
        return self._values[name]

    def _work_out(self, name: str) -> Any:
        queue = self._queue
        value = getattr(queue, camelcase_to_underscores(name))
        if name == "Policy" and queue.policy:
            value = queue.policy
        elif name == "RedrivePolicy" and queue.redrive_policy:
            value = json.dumps(queue.redrive_policy)
        elif name in WHOLE_SECONDS:
            value = int(value)
        return str(value).lower() if isinstance(value, bool) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def copy(self) -> dict[str, Any]:
        return dict(self)

    def __repr__(self) -> str:
        return f"QueueAttributes({dict(self)!r})"


def _attributes(self: Queue) -> QueueAttributes:
    return QueueAttributes(self)


def install() -> None:
    moto.sqs.models.unix_time = unix_time
    moto.sqs.models.unix_time_millis = unix_time_millis
    Queue.attributes = property(_attributes)  # type: ignore[assignment,method-assign]
