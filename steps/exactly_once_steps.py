"""Steps that prove a request was neither lost nor done twice, by counting what it left."""

from __future__ import annotations

from behave import given, then, when
from hamcrest import assert_that, equal_to

from steps.ledger import assert_work_done_once, count_request_ledger
from steps.outcomes import assert_complete
from steps.pipeline_context import current_execution, explain, send_request, wait_until_set_aside


@given("the analyst sends the same request again")
def step_same_request_again(context):
    send_request(context, context.requested)


@when("another request for the latest {form_type} filing of CIK {cik} arrives under the same request id")
def step_other_request_same_id(context, form_type, cik):
    send_request(context, {**context.requested, "form_type": form_type, "cik": cik})
    context.dead_letter = wait_until_set_aside(
        context, "RequestQueue", context.request_id,
        f"the second request under id {context.request_id} to reach the request dead-letter queue",
    )


@then("the request is complete and was done exactly once")
@then("the first request is still complete and was done exactly once")
def step_complete_exactly_once(context):
    current_execution(context)  # waits for the request to end, if no step did
    ledger = count_request_ledger(context)
    # First the count that can hold a duplicate: every run started for the request, by its input.
    assert_that(ledger.executions, equal_to(["SUCCEEDED"]), f"executions of the request\n{explain(context)}")
    assert_complete(context)
    assert_work_done_once(context, ledger)
