"""SQS's retention check on a received message reads one attribute, not all of them.

Replaces ``moto.sqs.models.SQSBackend.is_message_valid_based_on_retention_period``, which
``ReceiveMessage`` calls for every message it hands out and which asks
``get_queue_attributes`` for ``MessageRetentionPeriod``: that builds every attribute of the
queue, the approximate counts among them, each a pass over all the queue's messages. The
answer is the same (a message is kept until ``SentTimestamp`` + ``MessageRetentionPeriod``); the
cost no longer grows with the queue's backlog.
"""

from __future__ import annotations

import functools

from moto.core.utils import unix_time
from moto.sqs.models import Message, SQSBackend


def install() -> None:
    original = SQSBackend.is_message_valid_based_on_retention_period
    if getattr(original, "__one_attribute__", False):
        return

    @functools.wraps(original)
    def is_message_valid_based_on_retention_period(self: SQSBackend, queue_name: str, message: Message) -> bool:
        retention_period = int(self.get_queue(queue_name).message_retention_period)
        return bool(retention_period + message.sent_timestamp / 1000 > unix_time())  # type: ignore[operator]

    is_message_valid_based_on_retention_period.__one_attribute__ = True  # type: ignore[attr-defined]
    SQSBackend.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period  # type: ignore[method-assign]
