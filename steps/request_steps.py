"""Steps that put filing requests on the pipeline's request queue and wait for them."""

from __future__ import annotations

from behave import given, when

from steps.pipeline_context import new_request_id, send_request, wait_until_processed

ORDINALS = {"filing": 1, "two filings": 2, "three filings": 3}


@given("an analyst requests the latest {form_type} filing of CIK {cik}")
def step_request_latest(context, form_type, cik):
    context.request_id = new_request_id()
    context.requested = {"request_id": context.request_id, "cik": cik, "form_type": form_type}
    send_request(context, context.requested)


@given("an analyst sends a request that names no company")
def step_request_without_company(context):
    context.request_id = new_request_id()
    send_request(context, {"request_id": context.request_id, "form_type": "10-K"})


@when("the request is processed")
@when("the redriven request is processed")  # its execution's name is in the context (redrive_steps)
def step_request_processed(context):
    wait_until_processed(context)
