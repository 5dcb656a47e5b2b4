"""A burst of filing requests, and the counts that show each was done exactly once.

Shared by the @load scenario and ``bench/burst.py``. Requests are named ``burst-<tag>-<n>`` so a
burst's executions, items and objects can be counted apart from anything else on the stack.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from harness.aws_clients import Clients
from harness.waiting import wait_until

# The stand-in's companies, each with a 10-K: every request in a burst can complete.
CIKS = ("320193", "1318605", "789019")
WORK_QUEUES = ("RequestQueue", "IngestQueue", "UtilitiesQueue", "ValidatorQueue")


@dataclass
class BurstCounts:
    requests: int
    executions: Counter[str] = field(default_factory=Counter)  # status -> executions
    duplicate_executions: int = 0
    items: int = 0
    complete_items: int = 0
    objects: int = 0
    dead_letters_added: int = 0

    def exact(self) -> bool:
        """Every request: one execution that succeeded, one complete item, its two objects."""
        n = self.requests
        return (
            self.executions == Counter({"SUCCEEDED": n})
            and self.duplicate_executions == 0
            and self.items == self.complete_items == n
            and self.objects == 2 * n
            and self.dead_letters_added == 0
        )


def new_tag() -> str:
    return uuid.uuid4().hex[:8]


def burst_requests(tag: str, count: int) -> list[dict[str, Any]]:
    return [
        {"request_id": f"burst-{tag}-{i:04d}", "cik": CIKS[i % len(CIKS)], "form_type": "10-K"}
        for i in range(count)
    ]


def send_burst(clients: Clients, queue_url: str, requests: list[dict[str, Any]]) -> None:
    for start in range(0, len(requests), 10):  # SQS takes at most 10 per batch
        batch = requests[start : start + 10]
        entries = [{"Id": str(i), "MessageBody": json.dumps(r)} for i, r in enumerate(batch)]
        failed = clients.sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
        if failed:
            raise RuntimeError(f"SQS refused part of the burst: {failed}")


def burst_executions(clients: Clients, state_machine_arn: str, tag: str) -> list[dict[str, Any]]:
    pages = clients.stepfunctions.get_paginator("list_executions").paginate(stateMachineArn=state_machine_arn)
    prefix = f"burst-{tag}-"
    return [e for page in pages for e in page["executions"] if e["name"].startswith(prefix)]


def wait_for_drain(clients: Clients, state_machine_arn: str, tag: str, count: int, timeout: float) -> float:
    """Wait until every request of the burst has an execution that ended; return the seconds waited."""
    began = time.monotonic()

    def ended() -> bool:
        executions = burst_executions(clients, state_machine_arn, tag)
        return len({e["name"] for e in executions if e["status"] != "RUNNING"}) >= count

    def progress() -> str:
        statuses = Counter(e["status"] for e in burst_executions(clients, state_machine_arn, tag))
        return f"executions by status: {dict(statuses)} of {count} requests"

    # Listing hundreds of executions costs the emulator; half a second between looks is plenty.
    wait_until(ended, timeout=timeout, interval=0.5, awaited=f"all {count} burst requests to end", describe_last=progress)
    return time.monotonic() - began


def queue_depth(clients: Clients, url: str) -> int:
    """Messages waiting plus messages in flight (received, not yet deleted)."""
    attributes = clients.sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def queue_depths(clients: Clients, urls: list[str]) -> int:
    return sum(queue_depth(clients, url) for url in urls)


def dead_letter_urls(placeholders: dict[str, str]) -> list[str]:
    return [placeholders[f"{name}DeadLetterUrl"] for name in WORK_QUEUES]


def count_burst(
    clients: Clients, placeholders: dict[str, str], state_machine_arn: str, tag: str, count: int, dead_letters_before: int
) -> BurstCounts:
    executions = burst_executions(clients, state_machine_arn, tag)
    names = Counter(e["name"] for e in executions)
    counts = BurstCounts(requests=count, executions=Counter(e["status"] for e in executions))
    counts.duplicate_executions = sum(n - 1 for n in names.values())
    prefix = f"burst-{tag}-"
    pages = clients.dynamodb.get_paginator("scan").paginate(
        TableName=placeholders["FilingsTableName"],
        FilterExpression="begins_with(request_id, :p)",
        ExpressionAttributeValues={":p": {"S": prefix}},
        ConsistentRead=True,
    )
    items = [item for page in pages for item in page["Items"]]
    counts.items = len(items)
    counts.complete_items = sum(1 for item in items if item.get("status", {}).get("S") == "COMPLETE")
    objects = clients.s3.get_paginator("list_objects_v2").paginate(
        Bucket=placeholders["FilingsBucketName"], Prefix=f"requests/{prefix}"
    )
    counts.objects = sum(len(page.get("Contents", [])) for page in objects)
    counts.dead_letters_added = queue_depths(clients, dead_letter_urls(placeholders)) - dead_letters_before
    return counts
