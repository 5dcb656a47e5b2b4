"""Steps that check how a request ended: the execution, the catalogue and the archive agree."""

from __future__ import annotations

import hashlib

from behave import then
from hamcrest import assert_that, contains_string, empty, equal_to, has_item, is_, none

from steps.outcomes import assert_complete, assert_failed, tries_of
from steps.pipeline_context import (
    archived_keys,
    catalogue_item,
    execution_exists,
    executions_of_request,
    explain,
    placeholder,
)


@then("the request is complete")
def step_request_complete(context):
    assert_complete(context)


@then("the filing {accession_no} is archived and catalogued")
def step_filing_archived(context, accession_no):
    item = catalogue_item(context)
    entries = {entry["accession_no"]: entry for entry in (item or {}).get("filings", [])}
    assert_that(entries, has_item(accession_no), f"catalogue item: {item}\n{explain(context)}")
    entry = entries[accession_no]
    body = context.stack.aws.s3.get_object(Bucket=placeholder(context, "FilingsBucketName"), Key=entry["s3_key"])[
        "Body"
    ].read()
    assert_that(hashlib.sha256(body).hexdigest(), equal_to(entry["sha256"]), f"archived {entry['s3_key']}")
    assert_that(body.decode(), contains_string(accession_no))


@then("the request has failed at {state_phrase} because {reason_phrase}")
def step_request_failed(context, state_phrase, reason_phrase):
    assert_failed(context, state_phrase, reason_phrase)


@then("{state_phrase} was tried {times:d} times")
def step_tried_times(context, state_phrase, times):
    assert_that(tries_of(context, state_phrase), equal_to(times), f"tries of {state_phrase}\n{explain(context)}")


@then("no filing is archived")
def step_nothing_archived(context):
    keys = [key for key in archived_keys(context) if "/filings/" in key]
    assert_that(keys, is_(empty()), "archived filings")


@then("nothing is recorded for it")
def step_nothing_recorded(context):
    # Asked of the stack itself: no execution under the request's name or started with its id.
    assert_that(execution_exists(context), equal_to(False), f"an execution named {context.request_id}")
    assert_that(executions_of_request(context), is_(empty()), "executions started for the request")
    assert_that(catalogue_item(context), is_(none()), "catalogue item")
    assert_that(archived_keys(context), is_(empty()), "archived objects")
