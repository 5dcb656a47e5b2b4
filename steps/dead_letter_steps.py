"""Steps about requests the pipeline sets aside instead of processing."""

from __future__ import annotations

from behave import then
from hamcrest import assert_that, equal_to, not_none

from steps.phrases import reason_of
from steps.pipeline_context import assert_set_aside


@then("the request is set aside for an operator because {reason}")
@then("the second request is set aside for an operator because {reason}")
def step_request_set_aside(context, reason):
    message = getattr(context, "dead_letter", None)
    assert_that(message, not_none(), f"request {context.request_id} is not in the request dead-letter queue")
    assert_set_aside(message, "dispatcher", reason_of(reason))
    assert_that(message["Body"], equal_to(context.sent_body), "the request set aside, kept whole")
