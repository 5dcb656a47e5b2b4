"""Steps for an SEC API outage that outlasts every retry, and what an operator finds after it."""

from __future__ import annotations

import json

from behave import fixture, given, then
from behave.fixture import use_fixture
from hamcrest import assert_that, contains_string, equal_to, has_entries

from steps.pipeline_context import catalogue_item, explain, placeholder
from steps.sec_api_steps import _standin, queries_for
from workers.filing_request import parse_request


@fixture
def sec_api_down(context, cik):
    # No "times": the stand-in answers 503 until the fault is cleared, longer than any retry.
    _standin(context, "POST", "/_standin/faults", {"cik": cik, "status": 503})
    yield
    _standin(context, "DELETE", f"/_standin/faults?cik={cik}")


@given("the SEC API is down for CIK {cik}")
def step_sec_api_down(context, cik):
    context.sec_queries_before = queries_for(context, cik)
    use_fixture(sec_api_down, context, cik)


@then("the recorded cause says the SEC API answered {status:d}")
def step_cause_names_status(context, status):
    item = catalogue_item(context)
    assert_that((item or {}).get("failure_cause", ""), contains_string(f"answered {status}"), explain(context))


@then("the original request is kept for an operator to send again")
def step_request_kept(context):
    item = catalogue_item(context)
    assert_that(item, has_entries(status="FAILED"), explain(context))
    body = context.stack.aws.s3.get_object(Bucket=placeholder(context, "FilingsBucketName"), Key=item["request_key"])
    kept = parse_request(json.loads(body["Body"].read()))
    assert_that(kept.as_dict(), has_entries(request_id=context.request_id, cik=context.requested["cik"]))
    assert_that(kept.form_type, equal_to(context.requested["form_type"]))
