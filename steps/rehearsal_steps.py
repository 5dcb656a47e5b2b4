"""Steps that rehearse the pipeline's paths with recorded answers instead of the apps and the SEC API.

A rehearsal starts the execution itself, as ``<state machine>#<test case>``: the emulator answers
the mocked states from the mock configuration (SFN_MOCK_CONFIG, features/mocks/), so no app
works on it and the SEC API is never asked. Test case names stay here, never in feature text.
"""

from __future__ import annotations

import json

from behave import given, then, when
from boto3.dynamodb.types import TypeSerializer
from hamcrest import assert_that, equal_to, has_entries, not_none

from harness.statemachine.executions import wait_for_end
from harness.waiting import wait_until
from steps import sec_api_control
from steps.pipeline_context import (
    RECORDER,
    catalogue_item,
    explain,
    new_request_id,
    placeholder,
    record_execution,
    recorded_failure,
)

_serialize = TypeSerializer().serialize

# What the rehearsal is of, in the analysts' words -> the mock configuration's test case.
REHEARSALS = {
    "the SEC API stays unavailable": "FetchUnavailable",
    "the SEC API turns the pipeline away twice as too many, then answers": "FetchThrottledTwice",
    "the archive and the catalogue disagree": "ValidateMismatch",
    "the ingest app finds that the request names no company": "IngestFindsNoCompany",
    "the message to the app that fetches filings cannot be sent at first": "FetchMessageNotSentAtFirst",
    "the company is unknown": "UnknownCompany",
    "the request is complete before its failure comes to be recorded": "ValidateMismatch",
}
# Rehearsals that find the catalogue in a state of their own before the run starts.
COMPLETE_BEFORE_THE_RUN = {"the request is complete before its failure comes to be recorded"}


def put_complete_item(context) -> None:
    """The request as the catalogue has it once it is complete (as a late failure would find it)."""
    requested = context.requested
    item = {"request_id": requested["request_id"], "cik": requested["cik"], "form_type": requested["form_type"],
            "count": 1, "status": "COMPLETE"}
    context.stack.aws.dynamodb.put_item(TableName=placeholder(context, "FilingsTableName"),
                                        Item={key: _serialize(value) for key, value in item.items()})
    context.item_before_run = catalogue_item(context)


@given("a rehearsal in which {situation}")
def step_rehearsal(context, situation):
    assert_that(context.stack.settings.mock_config, not_none(), "rehearsals need SFN_MOCK_CONFIG")
    context.test_case = REHEARSALS[situation]
    context.complete_before_the_run = situation in COMPLETE_BEFORE_THE_RUN


@when("an analyst's request for the latest {form_type} filing of CIK {cik} is rehearsed")
def step_rehearse_request(context, form_type, cik):
    sec_api_control.count_queries_from_now(context, cik)
    context.request_id = new_request_id()
    context.requested = {"request_id": context.request_id, "cik": cik, "form_type": form_type}
    if getattr(context, "complete_before_the_run", False):
        put_complete_item(context)
    sfn = context.stack.aws.stepfunctions
    arn = context.stack.provisioned.state_machine_arn
    started = sfn.start_execution(stateMachineArn=f"{arn}#{context.test_case}", name=context.request_id,
                                  input=json.dumps(context.requested))
    record_execution(context, wait_for_end(sfn, started["executionArn"], context.settings.execution_timeout))


@then("the rehearsed request is complete")
def step_rehearsal_complete(context):
    assert_that(context.execution.status, equal_to("SUCCEEDED"), explain(context))
    assert_that(context.execution.state_names[-1], equal_to("Complete"), explain(context))


@then("the request can be sent through again from where it failed")
def step_redrivable_where_it_failed(context):
    # A redrive takes the run up at the state it entered and never left: the one that failed.
    report = context.execution
    failed = report.failed_state
    left_open = [visit.name for visit in report.last_run if visit.exited is None]
    assert_that(left_open, equal_to([failed and failed.name]), f"states the run never left\n{explain(context)}")
    described = context.stack.aws.stepfunctions.describe_execution(executionArn=report.arn)
    assert_that(described, has_entries(redriveStatus="REDRIVABLE", redriveCount=0), explain(context))
    assert_that(recorded_failure(context), has_entries(failed_state=failed.name), "the catalogue item")


@then("the catalogue refused to record the failure, and the request ended with the original reason")
def step_failure_refused_then_failed(context):
    # The recorder read the run's failure and found the request no longer in flight: it says so,
    # and leaves the catalogue item exactly as it was.
    marker = f"request {context.request_id} failed at "
    wait_until(
        lambda: any(marker in line and "left as it was" in line for line in context.stack.app_output(RECORDER).splitlines()),
        timeout=context.settings.execution_timeout,
        awaited=f"the recorder app to look at request {context.request_id}'s failure",
    )
    assert_that(catalogue_item(context), equal_to(context.item_before_run), "the catalogue item")
    report = context.execution
    first_failure = next(visit for visit in report.path if visit.failures)
    assert_that((report.status, report.error, report.cause), equal_to(("FAILED", *first_failure.failures[-1])),
                explain(context))
