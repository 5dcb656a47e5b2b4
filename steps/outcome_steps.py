"""Steps that check how a request ended: the execution, the catalogue and the archive agree."""

from __future__ import annotations

import hashlib

from behave import then
from hamcrest import (
    assert_that,
    contains_string,
    empty,
    equal_to,
    has_entries,
    has_item,
    is_,
    none,
    not_none,
)

from steps.pipeline_context import archived_keys, catalogue_item, explain, placeholder

# How the features speak of a state, and of an error, in the analysts' words.
STATE_PHRASES = {
    "ingesting the request": "Ingest",
    "fetching the filing": "FetchFiling",
    "validating the archive": "Validate",
    "recording the failure": "RecordFailure",
}
REASON_PHRASES = {
    "the company is unknown": "Sec.NotFound",
    "the SEC API refused the key": "Sec.Unauthorized",
    "the SEC API is unavailable": "Sec.Unavailable",
    "the archive and the catalogue disagree": "Validation.Mismatch",
    "the ingest app failed": "Worker.Error",
    # AWS reports a missed heartbeat as States.Timeout; only Retry/Catch see States.HeartbeatTimeout.
    "its heartbeat timed out": "States.Timeout",
}


def _execution(context):
    report = getattr(context, "execution", None)
    assert_that(report, not_none(), f"no execution ran for request {context.request_id}")
    return report


@then("the request is complete")
def step_request_complete(context):
    report = _execution(context)
    assert_that(report.status, equal_to("SUCCEEDED"), explain(context))
    assert_that(catalogue_item(context), has_entries(status="COMPLETE"), explain(context))


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
    state, error = STATE_PHRASES[state_phrase], REASON_PHRASES[reason_phrase]
    report = _execution(context)
    failed = report.failed_state
    assert_that(report.status, equal_to("FAILED"), explain(context))
    assert_that(failed and failed.name, equal_to(state), explain(context))
    assert_that(report.error, equal_to(error), explain(context))
    item = catalogue_item(context)
    assert_that(
        item,
        has_entries(status="FAILED", failed_state=state, error=error, failure_cause=report.cause),
        f"the failure must be recorded on the catalogue item\n{explain(context)}",
    )


@then("nothing is archived")
def step_nothing_archived(context):
    keys = [key for key in archived_keys(context) if "/filings/" in key]
    assert_that(keys, is_(empty()), "archived filings")


@then("nothing is recorded for it")
def step_nothing_recorded(context):
    assert_that(catalogue_item(context), is_(none()), "catalogue item")
    assert_that(archived_keys(context), is_(empty()), "archived objects")
    assert_that(getattr(context, "execution", None), is_(none()), "execution")
