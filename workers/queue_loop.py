"""The consuming loop every app shares: long-poll, handle, delete; bad messages to the DLQ.

- A message is deleted only after its handler returned: a crash mid-task leaves it on the
  queue, and it comes back after its visibility timeout.
- A message that can never be handled (``Rejected``) is copied to the queue's dead-letter
  queue, with the reason as message attributes, and only then deleted: nothing is lost.
- Any other exception leaves the message for redelivery; the queue's redrive policy moves it
  to the dead-letter queue after too many attempts.
- While a handler runs, a lease keeper renews the message's visibility at half the queue's
  visibility timeout, so a long task is not handed out twice, yet a crashed app's message comes
  back after one (short) timeout.
- Nothing a message holds can stop the loop: a failure to set it aside or delete it is logged,
  and the queue's redrive policy takes over.
- SIGTERM: an idle app exits at once; a busy one finishes its current message first.
- ``HEALTH_FILE``, when set, is touched on every round of the loop, for a container healthcheck.
"""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from workers import aws, periodic, startup

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]


class Rejected(Exception):
    """This message can never be handled; the text says why."""


# Set (True) on a message on its last delivery before the queue's redrive policy would move it
# to the dead-letter queue: a handler that answers someone (a state machine) answers now.
LAST_DELIVERY = "LastDelivery"


# What the loop works by, read in one request when the app starts: each request before its READY
# line delays the stack's start, and every app of a run makes them at once.
QUEUE_SETTINGS = ["RedrivePolicy", "VisibilityTimeout"]


def queue_settings(sqs: Any, queue_url: str) -> dict[str, str]:
    return dict(sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=QUEUE_SETTINGS).get("Attributes", {}))


def max_receive_count(settings: dict[str, str]) -> int | None:
    policy = settings.get("RedrivePolicy")
    return int(json.loads(policy)["maxReceiveCount"]) if policy else None


def dead_letter_queue_url(sqs: Any, settings: dict[str, str]) -> str | None:
    policy = settings.get("RedrivePolicy")
    if not policy:
        return None
    dlq_name = json.loads(policy)["deadLetterTargetArn"].rsplit(":", 1)[-1]
    return sqs.get_queue_url(QueueName=dlq_name)["QueueUrl"]


def visibility_timeout(settings: dict[str, str]) -> int:
    return int(settings.get("VisibilityTimeout", "30"))


def lease(sqs: Any, queue_url: str, receipt_handle: str, timeout: int) -> AbstractContextManager[None]:
    """Keep the message invisible to other consumers while the block runs."""

    def renew() -> None:
        try:
            sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=timeout)
        except (BotoCoreError, ClientError) as exc:
            log.warning("could not renew the message's visibility: %s", exc)

    return periodic.every(timeout / 2, renew, "lease")


class QueueConsumer:
    def __init__(self, app_name: str, queue_name: str, handle: Handler, *, wait_seconds: int = 20) -> None:
        self.app_name = app_name
        self.queue_name = queue_name
        self.handle = handle
        self.wait_seconds = wait_seconds
        self.sqs = aws.client("sqs")
        self.stopping = False
        # Read from the queue in run(); until then SQS's default, and no redrive policy.
        self.visibility_timeout = 30
        self.max_receive_count: int | None = None
        self._idle = True
        # A container's healthcheck reads this file's age: fresh while the loop goes round.
        health_file = os.environ.get("HEALTH_FILE")
        self.health_file = Path(health_file) if health_file else None

    def _on_sigterm(self, signum: int, frame: object) -> None:
        self.stopping = True
        if self._idle:
            raise SystemExit(0)
        log.info("SIGTERM: finishing the current message, then stopping")

    def _queue_url(self) -> str | None:
        try:
            return str(self.sqs.get_queue_url(QueueName=self.queue_name)["QueueUrl"])
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                return None
            raise

    def read_queue_settings(self) -> None:
        """The dead-letter queue, the redrive policy's count and the visibility timeout."""
        settings = queue_settings(self.sqs, self.queue_url)
        self.dlq_url = dead_letter_queue_url(self.sqs, settings)
        self.max_receive_count = max_receive_count(settings)
        self.visibility_timeout = visibility_timeout(settings)

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._on_sigterm)
        signal.signal(signal.SIGINT, self._on_sigterm)
        self.queue_url = startup.wait_for(self._queue_url, f"queue {self.queue_name}")
        self.read_queue_settings()
        log.info("consuming %s", self.queue_url)
        # The stack waits for this line before it calls the app ready.
        print(f"READY {self.queue_url}", flush=True)
        try:
            while not self.stopping:
                if self.health_file is not None:
                    self.health_file.touch()
                self._idle = True
                response = self.sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=1,
                    WaitTimeSeconds=self.wait_seconds,
                    AttributeNames=["ApproximateReceiveCount"],
                    MessageAttributeNames=["All"],
                )
                self._idle = False
                for message in response.get("Messages", []):
                    self.process(message)
        except SystemExit:
            pass
        except (BotoCoreError, ClientError):
            # The queue itself is gone or unreachable for good (boto already retried): say so
            # and exit non-zero, so a supervisor restarts the app rather than it idling blind.
            log.exception("cannot receive from %s", self.queue_name)
            raise
        log.info("stopped")

    def process(self, message: dict[str, Any]) -> None:
        """Handle one message; never raises, whatever the message holds."""
        message_id = message.get("MessageId", "?")
        received = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        message[LAST_DELIVERY] = self.max_receive_count is not None and received >= self.max_receive_count
        try:
            with lease(self.sqs, self.queue_url, message["ReceiptHandle"], self.visibility_timeout):
                try:
                    self.handle(message)
                except Rejected as rejected:
                    self.dead_letter(message, str(rejected))
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        except Exception:
            # Not deleted: it comes back, and after max_receive_count tries the queue's redrive
            # policy moves it to the dead-letter queue, so it is never lost.
            log.exception("message %s failed; left on the queue for redelivery", message_id)

    def dead_letter(self, message: dict[str, Any], reason: str) -> None:
        if self.dlq_url is None:
            # Without a DLQ the only way not to lose it is to leave it where it is.
            raise RuntimeError(f"{self.queue_name} has no dead-letter queue for a rejected message")
        self.sqs.send_message(
            QueueUrl=self.dlq_url,
            MessageBody=message["Body"],
            MessageAttributes={
                "RejectedBy": {"DataType": "String", "StringValue": self.app_name},
                "RejectionReason": {"DataType": "String", "StringValue": reason[:1000]},
                "SourceQueue": {"DataType": "String", "StringValue": self.queue_name},
            },
        )
        log.warning("message %s moved to the dead-letter queue: %s", message["MessageId"], reason)
