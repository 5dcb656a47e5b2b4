"""Steps for an SEC API outage that outlasts every retry, and what an operator finds after it."""

from __future__ import annotations

import json

from behave import fixture, given, then
from behave.fixture import use_fixture
from hamcrest import assert_that, equal_to

from steps import sec_api_control
from steps.outcomes import assert_failed
from steps.pipeline_context import archived_keys, placeholder, recorded_failure, request_latest, wait_until_processed
from workers.filing_request import parse_request

UNAVAILABLE = 503


@fixture
def sec_api_down(context, cik):
    # No "times": the stand-in answers 503 until the fault is cleared, longer than any retry.
    sec_api_control.answer_for(context, cik, UNAVAILABLE)
    yield
    sec_api_control.answer_normally_for(context, cik)


@given("an analyst requests the latest {form_type} filing of CIK {cik} while the SEC API is down")
def step_request_while_down(context, form_type, cik):
    sec_api_control.count_queries_from_now(context, cik)
    use_fixture(sec_api_down, context, cik)
    request_latest(context, form_type, cik)


@given("an analyst's request for the latest {form_type} filing of CIK {cik} failed while the SEC API was down")
def step_request_failed_while_down(context, form_type, cik):
    step_request_while_down(context, form_type, cik)
    wait_until_processed(context)
    assert_failed(context, "fetching the filing", "the SEC API is unavailable")


@then("nothing but the original request is archived, kept whole for an operator to send again")
def step_only_request_kept(context):
    item = recorded_failure(context)
    assert_that(archived_keys(context), equal_to([item["request_key"]]), "archived objects")
    body = context.stack.aws.s3.get_object(Bucket=placeholder(context, "FilingsBucketName"), Key=item["request_key"])
    # Whole: every field of the request as the pipeline reads it (its defaults filled in).
    assert_that(json.loads(body["Body"].read()), equal_to(parse_request(context.requested).as_dict()), "the kept request")
