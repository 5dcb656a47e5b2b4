"""SIGTERM stops an app only once it has finished the message it is handling: the task is done,
its message deleted, and the loop ends without taking another."""

from __future__ import annotations

import os
import signal
import uuid

from harness.aws_clients import Clients
from workers.queue_loop import QueueConsumer


def test_sigterm_during_a_task_lets_the_task_finish_and_delete_its_message(app_environment: Clients) -> None:
    clients = app_environment
    name = f"q-{uuid.uuid4().hex[:8]}"
    url = clients.sqs.create_queue(QueueName=name)["QueueUrl"]
    for body in ("first", "second"):
        clients.sqs.send_message(QueueUrl=url, MessageBody=body)
    handled: list[str] = []

    def handle(message: dict) -> None:
        # The signal arrives mid-task, as a supervisor's stop would.
        os.kill(os.getpid(), signal.SIGTERM)
        handled.append(message["Body"])

    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        QueueConsumer("tester", name, handle, wait_seconds=1).run()
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])

    assert len(handled) == 1  # the task finished, and no other was taken
    left = clients.sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    # The handled message was deleted; the other waits for the next run.
    assert (left["ApproximateNumberOfMessages"], left["ApproximateNumberOfMessagesNotVisible"]) == ("1", "0")
