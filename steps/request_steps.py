"""Steps that put filing requests on the pipeline's request queue and wait for them."""

from __future__ import annotations

from behave import given, when

from steps.outcomes import assert_complete
from steps.pipeline_context import new_request_id, request_latest, send_request, wait_until_processed


@given("an analyst requests the latest {form_type} filing of CIK {cik}")
def step_request_latest(context, form_type, cik):
    request_latest(context, form_type, cik)


@given("an analyst's request for the latest {form_type} filing of CIK {cik} is complete")
def step_request_completed(context, form_type, cik):
    request_latest(context, form_type, cik)
    wait_until_processed(context)
    assert_complete(context)


@given("an analyst sends a request that names no company")
def step_request_without_company(context):
    context.request_id = new_request_id()
    send_request(context, {"request_id": context.request_id, "form_type": "10-K"})


@when("the request is processed")
def step_request_processed(context):
    wait_until_processed(context)
