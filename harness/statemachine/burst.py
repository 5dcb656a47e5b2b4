"""A burst of requests on a queue, and the executions it started: for load scenarios and benches.

Requests are named ``burst-<tag>-<n>`` (the pipeline turns each into an execution of that name)
so a burst's executions can be counted apart from anything else on the stack. What a pipeline
counts besides (items, objects) is its own.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter, deque
from typing import Any

from harness.aws_clients import Clients
from harness.statemachine.executions import execution_arn
from harness.waiting import wait_until


def new_tag() -> str:
    return uuid.uuid4().hex[:8]


def request_id(tag: str, index: int) -> str:
    return f"burst-{tag}-{index:04d}"


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
    sfn = clients.stepfunctions
    # In the order the requests were sent, which is about the order their executions end: each
    # look asks about the first execution not yet seen ended and goes on only while they have,
    # so it costs a call or a few, where listing every execution cost the emulator a sixth of
    # its time under a burst of 200. Each execution is still seen ended once, whatever the order.
    pending = deque(execution_arn(state_machine_arn, request_id(tag, index)) for index in range(count))

    def ended() -> bool:
        while pending:
            try:
                status = sfn.describe_execution(executionArn=pending[0])["status"]
            except sfn.exceptions.ExecutionDoesNotExist:
                return False  # its request is not taken yet
            if status == "RUNNING":
                return False
            pending.popleft()
        return True

    def progress() -> str:
        statuses = Counter(e["status"] for e in burst_executions(clients, state_machine_arn, tag))
        return f"executions by status: {dict(statuses)} of {count} requests"

    wait_until(ended, timeout=timeout, interval=0.1, awaited=f"all {count} burst requests to end", describe_last=progress)
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
    """Every provisioned queue's dead-letter queue."""
    return [url for name, url in sorted(placeholders.items()) if name.endswith("DeadLetterUrl")]


def execution_counts(clients: Clients, state_machine_arn: str, tag: str) -> tuple[Counter[str], int]:
    """The burst's executions by status, and how many names were started more than once."""
    executions = burst_executions(clients, state_machine_arn, tag)
    names = Counter(e["name"] for e in executions)
    return Counter(e["status"] for e in executions), sum(n - 1 for n in names.values())
