"""Every message on a queue, read without losing one and without pushing one toward its end.

SQS has no peek. A receive with ``VisibilityTimeout=0`` leaves each message visible, so every
later receive may hand back the same first few and a queue of more than ten is never seen
whole; and each receive counts toward the queue's ``maxReceiveCount``, so peeking at a queue
with a redrive policy can send live messages to its dead-letter queue.

So: read only queues without a redrive policy (a dead-letter queue, whose receive count moves
nothing), hide each message while reading so the next receive hands out the next ones, and make
them all visible again at the end, as they were.
"""

from __future__ import annotations

from typing import Any

# Long enough to read a queue of a few hundred messages before the first comes back into view.
HOLD_SECONDS = 30
_BATCH = 10  # SQS's most per receive and per visibility batch


def has_redrive_policy(sqs: Any, url: str) -> bool:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    return "RedrivePolicy" in attributes.get("Attributes", {})


def read_all(sqs: Any, url: str, wait_seconds: int = 0) -> list[dict[str, Any]]:
    """Every message on a queue without a redrive policy, with its attributes; the queue is left as it was.

    AWS's short poll samples some of its servers, so an empty answer may hide messages: a caller
    that looks once, not in a loop, asks to wait (long polling asks every server).
    """
    if has_redrive_policy(sqs, url):
        raise ValueError(
            f"{url} has a redrive policy: reading it would count toward moving its messages to the "
            "dead-letter queue; wait until it is empty, or read its dead-letter queue"
        )
    seen: dict[str, dict[str, Any]] = {}
    try:
        while True:
            messages = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=_BATCH,
                VisibilityTimeout=HOLD_SECONDS,
                MessageAttributeNames=["All"],
                AttributeNames=["All"],
                WaitTimeSeconds=wait_seconds,
            ).get("Messages", [])
            fresh = [m for m in messages if m["MessageId"] not in seen]
            if not fresh:
                break
            seen.update((m["MessageId"], m) for m in fresh)
    finally:
        _show_again(sqs, url, list(seen.values()))
    return list(seen.values())


def _show_again(sqs: Any, url: str, messages: list[dict[str, Any]]) -> None:
    for start in range(0, len(messages), _BATCH):
        batch = messages[start : start + _BATCH]
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                for i, m in enumerate(batch)
            ],
        )
