"""Steps that try to rewrite a finished request from outside the request queue's checks."""

from __future__ import annotations

import json

from behave import then, when
from hamcrest import assert_that, equal_to

from harness.statemachine.executions import wait_for_end
from steps.phrases import reason_of
from steps.pipeline_context import catalogue_item, placeholder
from workers.archive import request_key


def _archived_request(context) -> dict:
    body = context.stack.aws.s3.get_object(
        Bucket=placeholder(context, "FilingsBucketName"), Key=request_key(context.request_id)
    )["Body"].read()
    return json.loads(body)


@when("the pipeline is started again under the same request id for CIK {cik}")
def step_started_again(context, cik):
    # What the request left, to compare with once the second run is over.
    context.before_second_run = (catalogue_item(context), _archived_request(context))
    sfn = context.stack.aws.stepfunctions
    started = sfn.start_execution(
        stateMachineArn=context.stack.provisioned.state_machine_arn,
        name=f"{context.request_id}-second",
        input=json.dumps({**context.requested, "cik": cik, "count": 1}),
    )
    context.second_run = wait_for_end(sfn, started["executionArn"], context.settings.execution_timeout)


@then("that second run fails at ingesting the request because {refusal}")
def step_second_run_refused(context, refusal):
    report = context.second_run
    failed = report.failed_state
    expected = ("FAILED", "Ingest", reason_of(refusal).error)
    assert_that((report.status, failed and failed.name, report.error), equal_to(expected), report.summary())


@then("the completed request is as it was, in the archive and in the catalogue")
def step_request_unchanged(context):
    item_before, archived_before = context.before_second_run
    assert_that(catalogue_item(context), equal_to(item_before), "the catalogue item")
    assert_that(_archived_request(context), equal_to(archived_before), "the archived request")
