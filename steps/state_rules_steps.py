"""Steps that check one state of the deployed definition with Step Functions' TestState.

The utilities app's answer is the TestState ``mock``; ``stateConfiguration.retrierRetryCount``
says how many retries came before, so the Nth attempt is checked without running N times.
"""

from __future__ import annotations

import json
from typing import Any

from behave import given, then, when
from hamcrest import assert_that, equal_to, has_entries, none

from steps.pipeline_context import new_request_id

STATE = "FetchFiling"
NEXT_STATE = "Validate"
# The SEC API's refusals in the analysts' words, and the error the utilities app reports for each.
REFUSALS = {
    "turns the pipeline away as too many": "Sec.Throttled",
    "the SEC API turned the pipeline away as too many": "Sec.Throttled",
    "is unavailable": "Sec.Unavailable",
    "knows no such company": "Sec.NotFound",
    "the company is unknown": "Sec.NotFound",
}


def _check(context: Any, mock: dict[str, Any], retries_so_far: int = 0) -> None:
    sfn = context.stack.aws.stepfunctions
    machine = sfn.describe_state_machine(stateMachineArn=context.stack.provisioned.state_machine_arn)
    context.state_check = sfn.test_state(
        definition=machine["definition"], stateName=STATE, roleArn=machine["roleArn"],
        input=json.dumps(context.state_input), mock=mock, inspectionLevel="DEBUG",
        stateConfiguration={"retrierRetryCount": retries_so_far},
    )


def _result(context: Any) -> dict[str, Any]:
    result = context.state_check
    return {k: result.get(k) for k in ("status", "nextState", "error", "cause")}


@given("a request for the latest {form_type} filing of CIK {cik} is at the fetching step")
def step_request_at_fetching(context, form_type, cik):
    # The state's input as the definition hands it on: the request as the dispatcher started it.
    context.state_input = {"request_id": new_request_id(), "cik": cik, "form_type": form_type, "count": 1}


@when("the SEC API {refusal} at fetching attempt {attempt:d}")
def step_check_refusal(context, refusal, attempt):
    error = REFUSALS[refusal]
    _check(context, {"errorOutput": {"error": error, "cause": f"the SEC API: {refusal}"}}, retries_so_far=attempt - 1)


@when("the utilities app answers that it fetched {count:d} filings")
def step_check_answer(context, count):
    request_id = context.state_input["request_id"]
    context.fetched = {"filings": [{"key": f"requests/{request_id}/filing-{n}.json"} for n in range(count)]}
    _check(context, {"result": json.dumps(context.fetched)})


@then("fetching the filing is to be tried again")
def step_retried(context):
    assert_that(_result(context)["status"], equal_to("RETRIABLE"), str(_result(context)))


@then("fetching the filing fails the request, to be taken up there again, because {reason}")
def step_fails_here(context, reason):
    # No Catch takes the error elsewhere: the run fails at this state, where a redrive resumes.
    error = REFUSALS[reason]
    result = _result(context)
    assert_that(result, has_entries(status="FAILED", error=error, nextState=None), str(result))
    assert_that(context.state_check.get("output"), none(), "a failed state passes nothing on")


@then("fetching the filing passes the request on to validation with the {count:d} filings kept beside it")
def step_passes_on(context, count):
    assert_that(_result(context), has_entries(status="SUCCEEDED", nextState=NEXT_STATE))
    kept = json.loads(context.state_check["output"])
    assert_that(kept, equal_to({**context.state_input, "fetch": context.fetched}))
    assert_that(len(kept["fetch"]["filings"]), equal_to(count))
