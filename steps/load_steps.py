"""Steps for a burst of requests: send them at once, wait for all, count what they left.

The burst counts its runs by status and follows none of their paths (reading each run's history
would add to the load being measured): the run's state machine coverage comes from the scenarios
that follow a run, and a run of the burst alone says coverage was not measured.
"""

from __future__ import annotations

import logging

from behave import given, then, when
from hamcrest import assert_that, equal_to

from harness.statemachine import burst
from steps import filing_burst

log = logging.getLogger("load")


@given("analysts send {count:d} requests at once")
def step_send_burst(context, count):
    stack = context.stack
    context.burst_tag, context.burst_count = burst.new_tag(), count
    context.dead_letters_before = burst.queue_depths(stack.aws, burst.dead_letter_urls(stack.provisioned.placeholders))
    requests = filing_burst.burst_requests(context.burst_tag, count)
    burst.send_burst(stack.aws, stack.provisioned.placeholders["RequestQueueUrl"], requests)


@when("every request has been processed")
def step_burst_drained(context):
    timeout = max(context.settings.execution_timeout, 2.0 * context.burst_count)  # 2 s a request at worst
    context.drain_seconds = burst.wait_for_drain(
        context.stack.aws, context.stack.provisioned.state_machine_arn, context.burst_tag, context.burst_count, timeout
    )
    log.info("%d requests drained in %.1f s", context.burst_count, context.drain_seconds)


@then("each request left exactly one run of the pipeline, one complete catalogue item and its archived files, and nothing was set aside")
def step_burst_counts(context):
    stack = context.stack
    counts = filing_burst.count_burst(
        stack.aws, stack.provisioned.placeholders, stack.provisioned.state_machine_arn,
        context.burst_tag, context.burst_count, context.dead_letters_before,
    )
    log.info("burst counts: %s", counts)
    assert_that(counts.exact(), equal_to(True), f"counts do not match {context.burst_count} requests: {counts}")
