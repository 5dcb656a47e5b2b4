"""SQS gives a queue's CreatedTimestamp and LastModifiedTimestamp in whole seconds since the epoch."""

from __future__ import annotations

import time
import uuid
from typing import Any


def test_a_queue_s_timestamps_are_whole_seconds_a_client_can_read_as_integers(sqs: Any) -> None:
    before = int(time.time())
    url = sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "45"})
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    for name in ("CreatedTimestamp", "LastModifiedTimestamp"):
        assert attributes[name].isdigit(), f"{name} is {attributes[name]!r}"
        assert before <= int(attributes[name]) <= time.time()
