"""Steps about requests the pipeline sets aside instead of processing."""

from __future__ import annotations

from behave import then
from hamcrest import assert_that, contains_string, not_none

from steps.pipeline_context import assert_set_aside


@then("the request is set aside in the dead-letter queue because {reason}")
def step_request_dead_lettered(context, reason):
    message = getattr(context, "dead_letter", None)
    assert_that(message, not_none(), f"request {context.request_id} is not in the request dead-letter queue")
    assert_set_aside(message, "dispatcher", reason)
    assert_that(message["Body"], contains_string(context.request_id), "the original request is kept whole")
