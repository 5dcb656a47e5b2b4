"""SFN_MOCK_CONFIG: Step Functions Local mock configurations, on an emulator of their own."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.engine.mock_config_file import MockConfigError, Returned, Thrown, parse_mock_config
from tests.emulator_fixtures import running_emulator
from tests.engine_fixtures import ROLE, client, wait_until

MACHINE = "mocked-machine"
TASK_FAILED_MACHINE = "mocked-task-failed"
DYNAMODB_MACHINE = "mocked-dynamodb"
CALLBACK_TASK = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "HeartbeatSeconds": 60, "TimeoutSeconds": 300,
                 "Parameters": {"QueueUrl": "http://sqs.us-east-1.localhost/123456789012/nobody-listens",
                                "MessageBody": {"token.$": "$$.Task.Token"}}}
DEFINITION = {"StartAt": "Fetch", "States": {
    "Fetch": {**CALLBACK_TASK, "ResultPath": "$.fetched",
              "Retry": [{"ErrorEquals": ["Sec.Throttled"], "IntervalSeconds": 100, "MaxAttempts": 3,
                         "BackoffRate": 2.0}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Failed"}],
              "Next": "Done"},
    "Done": {"Type": "Succeed"},
    "Failed": {"Type": "Fail", "ErrorPath": "$.failure.Error", "CausePath": "$.failure.Cause"}}}
CONFIG = {
    "StateMachines": {MACHINE: {"TestCases": {
        "Answered": {"Fetch": "FetchOk"},
        "ThrottledTwice": {"Fetch": "Throttled2ThenOk"},
        "Unavailable": {"Fetch": "AlwaysUnavailable"},
        "ThrottledForever": {"Fetch": "Throttled2"},
        "TimedOut": {"Fetch": "Timeout"},
    }}, DYNAMODB_MACHINE: {"TestCases": {
        "ThrottledOnce": {"Record": "TableThrottledOnce"},
    }}, TASK_FAILED_MACHINE: {"TestCases": {
        "Custom": {"T": "AlwaysUnavailable"},
        "TimedOut": {"T": "Timeout"},
    }}},
    "MockedResponses": {
        "FetchOk": {"0": {"Return": {"filings": 1}}},
        "Throttled2ThenOk": {"0-1": {"Throw": {"Error": "Sec.Throttled", "Cause": "429"}},
                             "2": {"Return": {"filings": 2}}},
        "AlwaysUnavailable": {"0": {"Throw": {"Error": "Sec.Unavailable", "Cause": "503 from the SEC API"}}},
        "Timeout": {"0": {"Throw": {"Error": "States.Timeout", "Cause": "no heartbeat"}}},
        "Throttled2": {"0-1": {"Throw": {"Error": "Sec.Throttled", "Cause": "429"}}},
        "TableThrottledOnce": {"0": {"Throw": {"Error": "DynamoDB.ProvisionedThroughputExceededException",
                                               "Cause": "too busy"}},
                               "1": {"Return": {}}},
    },
}


@pytest.fixture(scope="module")
def mocked_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("mocks")
    (folder / "mock.json").write_text(json.dumps(CONFIG))
    with running_emulator(folder / "emulator.log", SFN_TIME_SCALE="0.01", SFN_MOCK_CONFIG=str(folder / "mock.json")) as url:
        yield url


@pytest.fixture(scope="module")
def machine(mocked_endpoint: str) -> tuple[Any, str]:
    sfn = client(mocked_endpoint, "stepfunctions")
    arn = sfn.create_state_machine(name=MACHINE, definition=json.dumps(DEFINITION), roleArn=ROLE)["stateMachineArn"]
    return sfn, arn


def _run(sfn: Any, arn: str, deadline_s: float = 30.0) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    ex = sfn.start_execution(stateMachineArn=arn, name=f"m-{uuid.uuid4().hex[:8]}", input="{}")
    done = wait_until(lambda: (d := sfn.describe_execution(executionArn=ex["executionArn"]))["status"] != "RUNNING"
                      and d, deadline_s)
    return done, sfn.get_execution_history(executionArn=ex["executionArn"])["events"]


def test_waiting_task_is_answered_by_its_mock_at_once(machine: tuple[Any, str]) -> None:
    sfn, arn = machine
    t0 = time.monotonic()
    d, _ = _run(sfn, f"{arn}#Answered")
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"])["fetched"] == {"filings": 1}
    assert d["stateMachineArn"] == arn
    assert time.monotonic() - t0 < 10


def test_retry_counts_each_attempt_as_a_call(machine: tuple[Any, str]) -> None:
    sfn, arn = machine
    d, events = _run(sfn, f"{arn}#ThrottledTwice")
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"])["fetched"] == {"filings": 2}
    failures = [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]
    assert failures == ["Sec.Throttled", "Sec.Throttled"]


def test_thrown_error_is_caught_and_reaches_the_fail_state(machine: tuple[Any, str]) -> None:
    sfn, arn = machine
    d, events = _run(sfn, f"{arn}#Unavailable")
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Sec.Unavailable", "503 from the SEC API")
    assert [e["type"] for e in events if e["type"] == "TaskFailed"] == ["TaskFailed"]  # not retried


def test_a_call_past_the_last_response_is_a_runtime_error(machine: tuple[Any, str]) -> None:
    # Sec.Throttled is retried 3 times, the mock answers only 2 calls: the 3rd is a mock-file mistake.
    sfn, arn = machine
    d, _ = _run(sfn, f"{arn}#ThrottledForever")
    assert d["status"] == "FAILED"
    assert d["error"] == "States.Runtime"
    assert "no response for call 2 of state 'Fetch'" in d["cause"]


def test_unknown_test_case_is_refused(machine: tuple[Any, str]) -> None:
    sfn, arn = machine
    with pytest.raises(sfn.exceptions.ClientError) as err:
        sfn.start_execution(stateMachineArn=f"{arn}#NoSuchCase", input="{}")
    assert err.value.response["Error"]["Code"] == "InvalidName"
    assert "NoSuchCase" in err.value.response["Error"]["Message"]


def test_without_a_test_case_the_service_is_called(machine: tuple[Any, str], mocked_endpoint: str) -> None:
    sfn, arn = machine
    sqs = client(mocked_endpoint, "sqs")
    sqs.create_queue(QueueName="nobody-listens")
    ex = sfn.start_execution(stateMachineArn=arn, input="{}")
    message = wait_until(lambda: sqs.receive_message(QueueUrl=sqs.get_queue_url(QueueName="nobody-listens")["QueueUrl"])
                         .get("Messages"))
    token = json.loads(message[0]["Body"])["token"]
    sfn.send_task_success(taskToken=token, output=json.dumps({"real": True}))
    d = wait_until(lambda: (x := sfn.describe_execution(executionArn=ex["executionArn"]))["status"] != "RUNNING" and x)
    assert json.loads(d["output"])["fetched"] == {"real": True}


def test_fail_state_reports_a_caught_states_error_by_its_name(machine: tuple[Any, str]) -> None:
    sfn, arn = machine
    d, _ = _run(sfn, f"{arn}#TimedOut")
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "States.Timeout", "no heartbeat")


@pytest.mark.parametrize("case,status", [("Custom", "SUCCEEDED"), ("TimedOut", "FAILED")])
def test_states_task_failed_catches_all_but_timeouts(machine: tuple[Any, str], case: str, status: str) -> None:
    sfn, _ = machine
    definition = {"StartAt": "T", "States": {
        "T": {**CALLBACK_TASK, "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}], "End": True},
        "Caught": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(name=TASK_FAILED_MACHINE, definition=json.dumps(definition),
                                   roleArn=ROLE)["stateMachineArn"]
    d, _ = _run(sfn, f"{arn}#{case}")
    assert d["status"] == status, d


def test_a_mocked_failure_of_a_dynamodb_task_keeps_its_error_name_for_retry(mocked_endpoint: str) -> None:
    sfn = client(mocked_endpoint, "stepfunctions")
    definition = {"StartAt": "Record", "States": {"Record": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
        "Parameters": {"TableName": "t", "Key": {"id": {"S": "x"}}, "UpdateExpression": "SET a = :a",
                       "ExpressionAttributeValues": {":a": {"S": "b"}}},
        "Retry": [{"ErrorEquals": ["DynamoDB.ProvisionedThroughputExceededException"], "IntervalSeconds": 1,
                   "MaxAttempts": 2}],
        "End": True}}}
    arn = sfn.create_state_machine(name=DYNAMODB_MACHINE, definition=json.dumps(definition),
                                   roleArn=ROLE)["stateMachineArn"]
    d, events = _run(sfn, f"{arn}#ThrottledOnce")
    failed = [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]
    assert failed == ["DynamoDB.ProvisionedThroughputExceededException"]
    assert d["status"] == "SUCCEEDED", d


# ---- the file format, without a server ------------------------------------------------------

def test_ranges_expand_to_one_response_per_call() -> None:
    config = parse_mock_config(CONFIG)
    case = config.test_case(MACHINE, "ThrottledTwice")
    assert case is not None
    assert case.responses["Fetch"] == (Thrown("Sec.Throttled", "429"), Thrown("Sec.Throttled", "429"),
                                       Returned({"filings": 2}))


@pytest.mark.parametrize("responses,message", [
    ({"R": {"1": {"Return": 1}}}, "starts at call 1"),
    ({"R": {"0": {"Return": 1}, "2-3": {"Return": 2}}}, "starts at call 2"),
    ({"R": {"x": {"Return": 1}}}, "neither a call index"),
    ({"R": {"3-1": {"Return": 1}}}, "ends before it starts"),
    ({"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}, "exactly one of"),
    ({"R": {"0": {"Throw": {"Cause": "no error"}}}}, "needs a string 'Error'"),
])
def test_bad_responses_are_reported_with_their_place(responses: dict[str, Any], message: str) -> None:
    with pytest.raises(MockConfigError, match=message):
        parse_mock_config({"StateMachines": {}, "MockedResponses": responses})


def test_a_test_case_naming_an_undefined_response_is_reported() -> None:
    with pytest.raises(MockConfigError, match=r"StateMachines.M.TestCases.T.S names the mocked response 'Nope'"):
        parse_mock_config({"StateMachines": {"M": {"TestCases": {"T": {"S": "Nope"}}}}, "MockedResponses": {}})


def test_a_falsy_return_is_still_a_return() -> None:
    case = parse_mock_config({"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
                              "MockedResponses": {"R": {"0": {"Return": {}}}}}).test_case("M", "T")
    assert case is not None and case.responses["S"] == (Returned({}),)


def test_a_missing_file_stops_the_emulator(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="cannot read the mock configuration"):
        with running_emulator(tmp_path / "emulator.log", SFN_MOCK_CONFIG=str(tmp_path / "absent.json")):
            pass


def test_a_state_machine_is_found_by_its_name_without_the_run_prefix() -> None:
    def config(*machines: str) -> Any:
        return parse_mock_config({
            "StateMachines": {m: {"TestCases": {"Case": {"A": m}}} for m in machines},
            "MockedResponses": {m: {"0": {"Return": m}} for m in machines},
        })

    prefixed = config("filing-pipeline")
    assert prefixed.test_case("sec-pipeline-w1-filing-pipeline", "Case") is not None
    assert prefixed.test_case("sec-pipeline-filing-pipeline", "Case") is not None
    assert prefixed.test_case("other-pipeline", "Case") is None
    assert prefixed.test_case("sec-pipeline-filing-pipeline", "Other") is None
    both = config("filing-pipeline", "sec-pipeline-filing-pipeline")
    assert both.test_case("sec-pipeline-filing-pipeline", "Case").responses["A"] == (Returned("sec-pipeline-filing-pipeline"),)
