"""What a request left, counted so that a duplicate would show (no steps here).

A count of what the platform keeps unique anyway (items by key, executions by name, objects by
key) can only ever show a loss: a second write replaces the first. So each count here is of
something that can hold two: every execution whose input is the request, whatever its name;
the answers each step of the last execution took (a step done twice answers twice); the filings
the catalogue item lists (a list keeps a second entry); every version of every object under the
request's prefix (the bucket keeps versions, so a second write with other content shows; a task
redone after a crash writes the same bytes again, which is one content).
Read straight from the stack's resources, never from what the apps say they did.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hamcrest import assert_that, equal_to

from harness.statemachine.burst import queue_depth
from harness.waiting import wait_until
from steps.filing_burst import WORK_QUEUES
from steps.pipeline_context import archived_keys, catalogue_item, executions_of_request, explain, placeholder
from workers.archive import request_prefix

log = logging.getLogger("ledger")
# The pipeline's steps that do a request's work; each must have answered once.
WORK_STATES = ("Ingest", "FetchFiling", "Validate")


def items_for(context: Any, request_id: str) -> int:
    # A query, not a get: it would show a second item if the key were ever written twice.
    return context.stack.aws.dynamodb.query(
        TableName=placeholder(context, "FilingsTableName"),
        KeyConditionExpression="request_id = :id",
        ExpressionAttributeValues={":id": {"S": request_id}},
        ConsistentRead=True,
        Select="COUNT",
    )["Count"]


def contents_per_object(context: Any) -> dict[str, int]:
    """Per object under the request's prefix: the different contents (ETags) of all its versions."""
    s3 = context.stack.aws.s3
    pages = s3.get_paginator("list_object_versions").paginate(
        Bucket=placeholder(context, "FilingsBucketName"), Prefix=request_prefix(context.request_id)
    )
    etags: dict[str, set[str]] = {}
    for page in pages:
        for version in page.get("Versions", []):
            etags.setdefault(version["Key"], set()).add(version["ETag"])
    return {key: len(tags) for key, tags in sorted(etags.items())}


def work_queue_depths(context: Any) -> dict[str, int]:
    return {name: queue_depth(context.stack.aws, placeholder(context, f"{name}Url")) for name in WORK_QUEUES}


@dataclass(frozen=True)
class RequestLedger:
    """What one request left, counted once every work queue is empty."""

    executions: list[str]  # the status of every execution started for the request, oldest first
    answers: dict[str, int]  # the last execution's successful answers, per step of the work
    items: int
    listed: list[str]  # the accession numbers the catalogue item lists, repeats kept
    expected: list[str]  # the objects the catalogue item names
    found: list[str]  # the objects under the request's prefix
    contents: dict[str, int]  # per object, how many different contents its versions hold
    status: str | None  # the catalogue item's


def count_request_ledger(context: Any) -> RequestLedger:
    # A redelivered message may still be on its way: count only once every queue is empty.
    wait_until(
        lambda: not any(work_queue_depths(context).values()),
        timeout=context.settings.execution_timeout,
        awaited="every work queue to be empty",
        describe_last=lambda: f"queue depths {work_queue_depths(context)}",
    )
    item = catalogue_item(context) or {}
    filings = item.get("filings", [])
    path = context.execution.path if getattr(context, "execution", None) else []
    answered = Counter(visit.name for visit in path if visit.succeeded)
    ledger = RequestLedger(
        executions=[e["status"] for e in executions_of_request(context)],
        answers={state: answered[state] for state in WORK_STATES},
        items=items_for(context, context.request_id),
        listed=sorted(entry["accession_no"] for entry in filings),
        expected=sorted([item.get("request_key", "")] + [entry["s3_key"] for entry in filings]),
        found=sorted(archived_keys(context)),
        contents=contents_per_object(context),
        status=item.get("status"),
    )
    log.info("request %s: executions %s, answers %s, %d item(s), %d object(s)", context.request_id,
             ledger.executions, ledger.answers, ledger.items, len(ledger.found))
    return ledger


def assert_work_done_once(context: Any, ledger: RequestLedger) -> None:
    """Each step answered once, one catalogue item listing each filing once, each object once."""
    assert_that(ledger.answers, equal_to({state: 1 for state in WORK_STATES}), f"answers per step\n{explain(context)}")
    assert_that(ledger.items, equal_to(1), "catalogue items")
    assert_that(ledger.listed, equal_to(sorted(set(ledger.listed))), "filings listed more than once")
    assert_that(ledger.found, equal_to(ledger.expected), "archived objects")
    assert_that(ledger.contents, equal_to({key: 1 for key in ledger.found}), "different contents written per object")
    assert_that(ledger.status, equal_to("COMPLETE"), explain(context))
