"""Steps that rehearse the pipeline's paths with recorded answers instead of the apps and the SEC API.

A rehearsal starts the execution itself, as ``<state machine>#<test case>``: the emulator answers
the mocked states from the mock configuration (SFN_MOCK_CONFIG, features/mocks/), so no app
works on it and the SEC API is never asked. Test case names stay here, never in feature text.
"""

from __future__ import annotations

import json

from behave import given, then, when
from hamcrest import assert_that, contains_exactly, equal_to, is_not, not_none

from harness.statemachine.executions import wait_for_end
from steps import sec_api_control
from steps.pipeline_context import explain, new_request_id, record_execution

# What the rehearsal is of, in the analysts' words -> the mock configuration's test case.
REHEARSALS = {
    "the SEC API stays unavailable": "FetchUnavailable",
    "the SEC API turns the pipeline away twice as too many, then answers": "FetchThrottledTwice",
    "the archive and the catalogue disagree": "ValidateMismatch",
    "the ingest app finds that the request names no company": "IngestFindsNoCompany",
    "the message to the app that fetches filings cannot be sent at first": "FetchMessageNotSentAtFirst",
    "the company is unknown and the catalogue is briefly too busy to record the failure": "UnknownCompanyCatalogueThrottled",
    "the catalogue refuses a failure for a request no longer in flight": "LateFailureRefused",
}


@given("a rehearsal in which {situation}")
def step_rehearsal(context, situation):
    assert_that(context.stack.settings.mock_config, not_none(), "rehearsals need SFN_MOCK_CONFIG")
    context.test_case = REHEARSALS[situation]


@when("an analyst's request for the latest {form_type} filing of CIK {cik} is rehearsed")
def step_rehearse_request(context, form_type, cik):
    sec_api_control.count_queries_from_now(context, cik)
    context.request_id = new_request_id()
    context.requested = {"request_id": context.request_id, "cik": cik, "form_type": form_type}
    sfn = context.stack.aws.stepfunctions
    arn = context.stack.provisioned.state_machine_arn
    started = sfn.start_execution(stateMachineArn=f"{arn}#{context.test_case}", name=context.request_id,
                                  input=json.dumps(context.requested))
    record_execution(context, wait_for_end(sfn, started["executionArn"], context.settings.execution_timeout))


@then("the rehearsed request is complete")
def step_rehearsal_complete(context):
    assert_that(context.execution.status, equal_to("SUCCEEDED"), explain(context))
    assert_that(context.execution.state_names[-1], equal_to("Complete"), explain(context))


@then("the failure was recorded before the request ended with the same reason")
def step_failure_recorded_then_failed(context):
    report = context.execution
    assert_that(report.state_names[-2:], contains_exactly("RecordFailure", "Failed"), explain(context))
    error, cause = report.failed_state.failures[-1]
    # The Fail state re-raises the failing state's own error and cause.
    assert_that((report.error, report.cause), equal_to((error, cause)), explain(context))
    assert_that(cause, is_not(equal_to("")), "the failure's cause")


@then("the catalogue refused to record the failure, and the request ended with the original reason")
def step_failure_refused_then_failed(context):
    # RecordFailure's condition refused the write (the request was no longer in flight); its
    # Catch goes on to Failed, which re-raises the error of the state that failed first.
    report = context.execution
    assert_that(report.state_names[-2:], contains_exactly("RecordFailure", "Failed"), explain(context))
    recording = report.path[-2]
    assert_that([error for error, _ in recording.failures], contains_exactly("DynamoDB.ConditionalCheckFailedException"),
                explain(context))
    first_failure = next(visit for visit in report.path if visit.failures)
    assert_that((report.error, report.cause), equal_to(first_failure.failures[-1]), explain(context))
