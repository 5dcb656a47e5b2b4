"""Steps that prove a request was neither lost nor done twice, by counting what it left."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from behave import given, then, when
from hamcrest import assert_that, equal_to

from harness.waiting import wait_until
from steps.ledger import executions_named, items_for, work_queue_depths
from steps.pipeline_context import archived_keys, catalogue_item, dead_lettered, explain, send_request

log = logging.getLogger("exactly_once")


def _queues_drained(context) -> dict[str, int]:
    depths = work_queue_depths(context)
    return depths if not any(depths.values()) else {}


@given("the analyst sends the same request again")
def step_same_request_again(context):
    send_request(context, context.requested)


@when("another request for the latest {form_type} filing of CIK {cik} arrives under the same request id")
def step_other_request_same_id(context, form_type, cik):
    send_request(context, {**context.requested, "form_type": form_type, "cik": cik})
    context.dead_letter = wait_until(
        lambda: dead_lettered(context, "RequestQueue", context.request_id),
        timeout=context.settings.execution_timeout,
        awaited=f"the second request under id {context.request_id} to reach the request dead-letter queue",
    )


@dataclass(frozen=True)
class RequestLedger:
    """What one request left, counted once every work queue is empty."""

    executions: int
    items: int
    expected: list[str]  # the objects the catalogue item names
    found: list[str]  # the objects under the request's prefix
    status: str | None  # the catalogue item's


def count_request_ledger(context) -> RequestLedger:
    # A redelivered message may still be on its way: count only once every queue is empty.
    wait_until(
        lambda: _queues_drained(context),
        timeout=context.settings.execution_timeout,
        awaited="every work queue to be empty",
        describe_last=lambda: f"queue depths {work_queue_depths(context)}",
    )
    item = catalogue_item(context) or {}
    ledger = RequestLedger(
        executions=len(executions_named(context, context.request_id)),
        items=items_for(context, context.request_id),
        expected=sorted([item.get("request_key", "")] + [entry["s3_key"] for entry in item.get("filings", [])]),
        found=sorted(archived_keys(context)),
        status=item.get("status"),
    )
    log.info("request %s: %d execution(s), %d item(s), %d object(s)",
             context.request_id, ledger.executions, ledger.items, len(ledger.found))
    return ledger


@then("the request left exactly one execution, one catalogue item and one copy of each archived object")
def step_exactly_once(context):
    ledger = count_request_ledger(context)
    assert_that(ledger.executions, equal_to(1), explain(context))
    assert_that(ledger.items, equal_to(1), "catalogue items")
    assert_that(ledger.found, equal_to(ledger.expected), "archived objects")
    assert_that(ledger.status, equal_to("COMPLETE"), explain(context))
