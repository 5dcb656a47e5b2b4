"""Reading a whole queue without losing a message or pushing one toward its dead-letter queue."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from harness.resources import queue_contents


def _queue(sqs: Any, **attributes: str) -> str:
    return sqs.create_queue(QueueName=f"contents-{time.time_ns()}", Attributes=attributes)["QueueUrl"]


def test_every_message_is_read_once_and_left_visible(sqs: Any) -> None:
    url = _queue(sqs)
    sent = {f"message {i}" for i in range(25)}  # more than one receive's ten
    for body in sent:
        sqs.send_message(QueueUrl=url, MessageBody=body)
    first = queue_contents.read_all(sqs, url)
    assert sorted(m["Body"] for m in first) == sorted(sent)
    # Left as it was: a second read sees them all again, none hidden.
    assert sorted(m["Body"] for m in queue_contents.read_all(sqs, url)) == sorted(sent)


def test_a_queue_with_a_redrive_policy_is_refused_unread(sqs: Any) -> None:
    dead_letters = _queue(sqs)
    arn = sqs.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    live = _queue(sqs, RedrivePolicy=json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "1"}))
    sqs.send_message(QueueUrl=live, MessageBody="live")
    with pytest.raises(ValueError, match="redrive policy"):
        queue_contents.read_all(sqs, live)
    # Never received: its count toward the dead-letter queue is untouched.
    message = sqs.receive_message(QueueUrl=live, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"
