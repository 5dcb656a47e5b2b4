"""A burst of filing requests and the counts that show each was done exactly once.

Shared by the @load scenario and ``bench/burst.py``; the generic part (sending, waiting for the
executions to end, queue depths) is the harness's ``statemachine/burst.py``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from harness.aws_clients import Clients
from harness.statemachine import burst

# The stand-in's companies, each with a 10-K: every request in a burst can complete.
CIKS = ("320193", "1318605", "789019")
WORK_QUEUES = ("RequestQueue", "IngestQueue", "UtilitiesQueue", "ValidatorQueue")
# What a request that asks for one filing leaves in the bucket: the request and the filing.
OBJECTS_PER_REQUEST = 2


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
            and self.objects == OBJECTS_PER_REQUEST * n
            and self.dead_letters_added == 0
        )


def burst_requests(tag: str, count: int) -> list[dict[str, Any]]:
    return [
        {"request_id": burst.request_id(tag, i), "cik": CIKS[i % len(CIKS)], "form_type": "10-K"}
        for i in range(count)
    ]


def count_burst(
    clients: Clients, placeholders: dict[str, str], state_machine_arn: str, tag: str, count: int, dead_letters_before: int
) -> BurstCounts:
    counts = BurstCounts(requests=count)
    counts.executions, counts.duplicate_executions = burst.execution_counts(clients, state_machine_arn, tag)
    prefix = burst.request_id(tag, 0)[: -len("0000")]
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
    counts.dead_letters_added = burst.queue_depths(clients, burst.dead_letter_urls(placeholders)) - dead_letters_before
    return counts
