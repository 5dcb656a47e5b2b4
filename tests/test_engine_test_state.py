"""TestState runs one state with AWS's statuses, nextState, mocks, variables, context and inspection data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.test_sfn_operations import operations_client

THROTTLED = {"errorOutput": {"error": "Sec.Throttled", "cause": "429 from the SEC API"}}
TASK = {
    "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl": "https://queue", "MessageBody": {"token.$": "$$.Task.Token", "id.$": "$.id"}},
    "Retry": [{"ErrorEquals": ["SQS.AmazonSQSException"], "MaxAttempts": 1},
              {"ErrorEquals": ["Sec.Throttled"], "MaxAttempts": 2, "IntervalSeconds": 2, "BackoffRate": 3}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "RecordFailure"}],
    "Next": "Validate",
}


@pytest.fixture(scope="module")
def ops(endpoint: str) -> Any:
    return operations_client(endpoint)


def call(ops: Any, state: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return ops.test_state(definition=json.dumps(state), **kwargs)


def test_a_pass_state_succeeds_with_its_next_state_and_debug_inspection(ops: Any) -> None:
    result = call(ops, {"Type": "Pass", "Parameters": {"a.$": "$.x"}, "Next": "B"}, input='{"x":1}',
                  inspectionLevel="DEBUG")
    assert (result["status"], result["output"], result["nextState"]) == ("SUCCEEDED", '{"a":1}', "B")
    assert result["inspectionData"]["afterParameters"] == '{"a":1}'


def test_info_level_answers_no_inspection_data(ops: Any) -> None:
    assert "inspectionData" not in call(ops, {"Type": "Pass", "End": True})


def test_a_choice_state_names_the_branch_it_takes(ops: Any) -> None:
    choice = {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "One"}], "Default": "D"}
    assert call(ops, choice, input='{"x":1}')["nextState"] == "One"
    assert call(ops, choice, input='{"x":2}')["nextState"] == "D"


def test_a_mocked_result_answers_the_task(ops: Any) -> None:
    result = call(ops, TASK, input='{"id":"r1"}', mock={"result": '{"filings":3}'}, inspectionLevel="DEBUG")
    assert (result["status"], result["output"], result["nextState"]) == ("SUCCEEDED", '{"filings":3}', "Validate")
    assert json.loads(result["inspectionData"]["afterParameters"])["MessageBody"]["id"] == "r1"


@pytest.mark.parametrize("retries_so_far,backoff", [(0, 2), (1, 6)])
def test_a_matched_error_with_attempts_left_is_retriable(ops: Any, retries_so_far: int, backoff: int) -> None:
    result = call(ops, TASK, input='{"id":"r1"}', mock=THROTTLED, inspectionLevel="DEBUG",
                  stateConfiguration={"retrierRetryCount": retries_so_far})
    assert (result["status"], result["error"]) == ("RETRIABLE", "Sec.Throttled")
    # retryIndex: the Retrier that matched; the backoff grows with the retries so far.
    assert result["inspectionData"]["errorDetails"] == {"retryIndex": 1, "retryBackoffIntervalSeconds": backoff}


def test_full_jitter_waits_at_most_the_backoff(ops: Any) -> None:
    jittered = {**TASK, "Retry": [{"ErrorEquals": ["Sec.Throttled"], "IntervalSeconds": 8, "JitterStrategy": "FULL"}]}
    waits = {call(ops, jittered, input='{"id":"r1"}', mock=THROTTLED, inspectionLevel="DEBUG")
             ["inspectionData"]["errorDetails"]["retryBackoffIntervalSeconds"] for _ in range(6)}
    assert all(0 <= wait <= 8 for wait in waits) and len(waits) > 1


def test_once_retries_are_spent_the_catch_takes_the_error(ops: Any) -> None:
    result = call(ops, TASK, input='{"id":"r1"}', mock=THROTTLED, stateConfiguration={"retrierRetryCount": 2})
    assert (result["status"], result["nextState"]) == ("CAUGHT_ERROR", "RecordFailure")
    assert json.loads(result["output"]) == {"id": "r1", "failure": {"Error": "Sec.Throttled",
                                                                   "Cause": "429 from the SEC API"}}


def test_an_error_nothing_handles_fails_the_state(ops: Any) -> None:
    bare = {k: v for k, v in TASK.items() if k not in ("Retry", "Catch")}
    result = call(ops, bare, input='{"id":"r1"}', mock=THROTTLED)
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "Sec.Throttled", "429 from the SEC API")
    assert "nextState" not in result


def test_a_state_of_a_machine_with_variables_and_context(ops: Any) -> None:
    machine = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Output": "{% $prefix & $states.context.Execution.Name %}", "Next": "B"},
        "B": {"Type": "Succeed"}}}
    result = call(ops, machine, stateName="A", variables='{"prefix":"run-"}', context='{"Execution":{"Name":"n1"}}')
    assert (result["status"], result["output"], result["nextState"]) == ("SUCCEEDED", '"run-n1"', "B")


def test_a_fail_state_fails_with_its_error(ops: Any) -> None:
    result = call(ops, {"Type": "Fail", "Error": "Pipeline.Failed", "Cause": "why"})
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "Pipeline.Failed", "why")


@pytest.mark.parametrize("kwargs,code", [
    ({"stateName": "Nope"}, "ValidationException"),
    ({"mock": {"result": "{}", "errorOutput": {"error": "E"}}}, "ValidationException"),
    ({"input": "{not json"}, "InvalidExecutionInput"),
])
def test_requests_aws_refuses(ops: Any, kwargs: dict[str, Any], code: str) -> None:
    state = {"StartAt": "A", "States": {"A": TASK}} if "stateName" in kwargs else TASK
    with pytest.raises(ClientError) as err:
        call(ops, state, **kwargs)
    assert err.value.response["Error"]["Code"] == code


def test_a_map_or_parallel_state_needs_a_mock(ops: Any) -> None:
    state = {"Type": "Map", "ItemsPath": "$.items", "Next": "After",
             "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "End": True}}}}
    with pytest.raises(ClientError) as err:
        call(ops, state, input='{"items":[{"n":1},{"n":2}]}')
    assert err.value.response["Error"]["Code"] == "InvalidDefinition"
    assert "TestState API does not support Map or Parallel states" in err.value.response["Error"]["Message"]


def test_a_failing_parallel_branch_is_caught_by_the_state_s_catch(ops: Any) -> None:
    state = {"Type": "Parallel", "End": True,
             "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Branch.Failed"}}}],
             "Catch": [{"ErrorEquals": ["Branch.Failed"], "Next": "Handle"}]}
    result = call(ops, state, mock={"errorOutput": {"error": "Branch.Failed", "cause": "F failed"}},
                  stateConfiguration={"errorCausedByState": "F"})
    assert (result["status"], result["error"], result["nextState"]) == ("CAUGHT_ERROR", "Branch.Failed", "Handle")
