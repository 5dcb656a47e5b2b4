"""Steps about requests the pipeline sets aside instead of processing."""

from __future__ import annotations

from behave import then
from hamcrest import assert_that, contains_string, equal_to, not_none


@then("the request is set aside in the dead-letter queue because {reason}")
def step_request_dead_lettered(context, reason):
    message = getattr(context, "dead_letter", None)
    assert_that(message, not_none(), f"request {context.request_id} is not in the request dead-letter queue")
    attributes = {name: value["StringValue"] for name, value in message.get("MessageAttributes", {}).items()}
    assert_that(attributes.get("RejectedBy"), equal_to("dispatcher"))
    assert_that(attributes.get("RejectionReason", ""), contains_string(reason))
    assert_that(message["Body"], contains_string(context.request_id), "the original request is kept whole")
