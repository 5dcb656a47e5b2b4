"""SQS queues, each with its dead-letter queue and a redrive policy."""

from __future__ import annotations

import json
import math

from harness.aws_clients import Clients
from harness.resources.kind import Planned
from harness.resources.record import Provisioned
from harness.settings import Settings

kind = "queue"
section = "queues"
suffixes = ("Name", "Url", "Arn", "DeadLetterUrl", "DeadLetterArn")
gone = frozenset({"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"})
# Dead letters are kept for the longest SQS allows, 14 days, so none is lost before it is read.
DEAD_LETTER_RETENTION_SECONDS = "1209600"


def scaled_visibility_timeout(settings: Settings, declared: int) -> int:
    # SQS counts whole seconds; at least 1 so a crashed app's message does come back, but not
    # before the apps' lease keeper (which renews at half the timeout) has had a chance to run.
    return max(1, math.ceil(settings.scaled(declared)))


def _arn(clients: Clients, url: str) -> str:
    return clients.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _record(clients: Clients, out: Provisioned, planned: Planned, url: str, dlq_url: str, dlq_arn: str) -> None:
    out.record(planned.logical_name, planned.name, Url=url, Arn=_arn(clients, url), DeadLetterUrl=dlq_url,
               DeadLetterArn=dlq_arn)


def create(clients: Clients, settings: Settings, planned: Planned, out: Provisioned) -> None:
    spec = planned.spec
    dlq_url = clients.sqs.create_queue(
        QueueName=f"{planned.name}-dlq", Attributes={"MessageRetentionPeriod": DEAD_LETTER_RETENTION_SECONDS}
    )["QueueUrl"]
    out.made(kind, dlq_url)
    dlq_arn = _arn(clients, dlq_url)
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(spec.max_receive_count)}
    url = clients.sqs.create_queue(
        QueueName=planned.name,
        Attributes={
            "VisibilityTimeout": str(scaled_visibility_timeout(settings, spec.visibility_timeout)),
            "RedrivePolicy": json.dumps(redrive),
        },
    )["QueueUrl"]
    out.made(kind, url)
    _record(clients, out, planned, url, dlq_url, dlq_arn)


def discover(clients: Clients, planned: Planned, out: Provisioned) -> None:
    url = clients.sqs.get_queue_url(QueueName=planned.name)["QueueUrl"]
    dlq_url = clients.sqs.get_queue_url(QueueName=f"{planned.name}-dlq")["QueueUrl"]
    _record(clients, out, planned, url, dlq_url, _arn(clients, dlq_url))


def delete(clients: Clients, identifier: str) -> None:
    clients.sqs.delete_queue(QueueUrl=identifier)


def plan_lines(planned: Planned) -> list[str]:
    return [f"SQS queue        {planned.name} (and its dead-letter queue {planned.name}-dlq)"]
