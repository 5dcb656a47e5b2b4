"""Steps that hold back or interfere with the pipeline's apps and data."""

from __future__ import annotations

import json

from behave import fixture, given, use_fixture, when
from hamcrest import assert_that, has_entries

from harness.waiting import wait_until
from steps.pipeline_context import catalogue_item, placeholder, request_latest, wait_until_processed


@fixture
def paused_app(context, app):
    context.stack.stop_app(app)
    yield
    context.stack.start_app(app)


@given("the latest {form_type} filing of CIK {cik} has been fetched and archived for an analyst, but not yet validated")
def step_filing_fetched_not_validated(context, form_type, cik):
    # The validator is held back, so the request waits, fetched and archived, for validation.
    use_fixture(paused_app, context, "validator")
    request_latest(context, form_type, cik)

    def fetched_item():
        item = catalogue_item(context)
        return item if item and item.get("status") == "FETCHED" else None

    context.fetched_item = wait_until(
        fetched_item,
        timeout=context.settings.execution_timeout,
        awaited=f"request {context.request_id} to reach status FETCHED",
    )
    assert_that(context.fetched_item, has_entries(status="FETCHED"))


@when("someone alters the archived filing")
def step_alter_archived_filing(context):
    entry = context.fetched_item["filings"][0]
    s3 = context.stack.aws.s3
    bucket = placeholder(context, "FilingsBucketName")
    filing = json.loads(s3.get_object(Bucket=bucket, Key=entry["s3_key"])["Body"].read())
    filing["periodOfReport"] = "1999-12-31"
    s3.put_object(Bucket=bucket, Key=entry["s3_key"], Body=json.dumps(filing).encode())


@when("validation goes ahead")
def step_validation_goes_ahead(context):
    context.stack.start_app("validator")
    wait_until_processed(context)
