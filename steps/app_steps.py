"""Steps that pause, resume or interfere with the pipeline's apps and data."""

from __future__ import annotations

import json

from behave import fixture, given, use_fixture, when
from hamcrest import assert_that, has_entries

from harness.waiting import wait_until
from steps.pipeline_context import catalogue_item, placeholder, wait_until_processed


@fixture
def paused_app(context, app):
    context.stack.stop_app(app)
    yield
    context.stack.start_app(app)


@given("the {app} app is paused")
def step_app_paused(context, app):
    use_fixture(paused_app, context, app)


@given("the filing has been fetched and archived")
def step_filing_fetched(context):
    def fetched_item():
        item = catalogue_item(context)
        return item if item and item.get("status") == "FETCHED" else None

    item = wait_until(
        fetched_item,
        timeout=context.settings.execution_timeout,
        awaited=f"request {context.request_id} to reach status FETCHED",
    )
    assert_that(item, has_entries(status="FETCHED"))
    context.fetched_item = item


@when("someone alters the archived filing")
def step_alter_archived_filing(context):
    entry = context.fetched_item["filings"][0]
    s3 = context.stack.aws.s3
    bucket = placeholder(context, "FilingsBucketName")
    filing = json.loads(s3.get_object(Bucket=bucket, Key=entry["s3_key"])["Body"].read())
    filing["periodOfReport"] = "1999-12-31"
    s3.put_object(Bucket=bucket, Key=entry["s3_key"], Body=json.dumps(filing).encode())


@when("the {app} app resumes")
def step_app_resumes(context, app):
    context.stack.start_app(app)
    wait_until_processed(context)
