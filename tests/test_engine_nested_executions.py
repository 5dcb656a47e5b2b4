"""A state machine that starts another answers as AWS does (harness/engine/nested_executions.py).

The shapes are those recorded on AWS (LocalStack's snapshots test_sfn_task_service,
test_callback, test_credentials_base, test_aws_sdk_task_service), named in the module's docstring.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from tests.engine_fixtures import ROLE, client, run, wait_until

START = "arn:aws:states:::states:startExecution"
ISO_8601_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00")
# DescribeExecution of a child that succeeded, as the .sync task's result has it (recorded 2024).
SYNC_FIELDS = ["ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails", "RedriveCount",
               "RedriveStatus", "RedriveStatusReason", "StartDate", "StateMachineArn", "Status", "StopDate"]


def machine(sfn: Any, definition: dict[str, Any]) -> str:
    return sfn.create_state_machine(name=f"child-{uuid.uuid4().hex[:12]}", definition=json.dumps(definition),
                                    roleArn=ROLE)["stateMachineArn"]


@pytest.fixture
def child(sfn: Any) -> str:
    return machine(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"child": "done"}, "End": True}}})


@pytest.fixture
def failing_child(sfn: Any) -> str:
    return machine(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure",
                                                          "Cause": "the child broke"}}})


def parent(resource: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": "Start", "States": {"Start": {"Type": "Task", "Resource": resource,
                                                     "Parameters": parameters, "End": True}}}


def history(sfn: Any, execution_arn: str) -> list[dict[str, Any]]:
    return sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]


def test_start_execution_answers_the_execution_and_the_http_metadata(sfn: Any, child: str) -> None:
    described = run(sfn, parent(START, {"StateMachineArn": child, "Input": {"a": 1}}))
    assert described["status"] == "SUCCEEDED", described.get("cause")
    output = json.loads(described["output"])
    assert list(output) == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]
    assert ISO_8601_UTC.fullmatch(output["StartDate"])
    assert output["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert list(output["SdkHttpMetadata"]["HttpHeaders"]) == [
        "x-amzn-RequestId", "connection", "Content-Length", "Date", "Content-Type"]
    assert output["SdkResponseMetadata"]["RequestId"] == output["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
    started = sfn.describe_execution(executionArn=output["ExecutionArn"])
    assert (started["stateMachineArn"], started["input"]) == (child, '{"a":1}')


def test_sync_answers_the_child_execution_with_its_output_as_text(sfn: Any, child: str) -> None:
    described = run(sfn, parent(f"{START}.sync", {"StateMachineArn": child, "Input": {"a": 1}}))
    assert described["status"] == "SUCCEEDED", described.get("cause")
    output = json.loads(described["output"])
    assert list(output) == SYNC_FIELDS
    assert (output["Status"], output["StateMachineArn"]) == ("SUCCEEDED", child)
    assert (output["Input"], output["Output"]) == ('{"a":1}', '{"child":"done"}')
    assert output["InputDetails"] == output["OutputDetails"] == {"Included": True}
    assert ISO_8601_UTC.fullmatch(output["StartDate"]) and ISO_8601_UTC.fullmatch(output["StopDate"])
    types = [event["type"] for event in history(sfn, described["executionArn"])]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    submitted = next(event for event in history(sfn, described["executionArn"]) if event["type"] == "TaskSubmitted")
    start_answer = json.loads(submitted["taskSubmittedEventDetails"]["output"])
    assert (start_answer["ExecutionArn"], "SdkHttpMetadata" in start_answer) == (output["ExecutionArn"], True)


def test_sync_2_answers_the_child_execution_with_its_output_as_json(sfn: Any, child: str) -> None:
    described = run(sfn, parent(f"{START}.sync:2", {"StateMachineArn": child, "Input": {"a": 1}}))
    assert described["status"] == "SUCCEEDED", described.get("cause")
    output = json.loads(described["output"])
    assert list(output) == SYNC_FIELDS
    assert (output["Input"], output["Output"]) == ({"a": 1}, {"child": "done"})


@pytest.mark.parametrize("pattern", [".sync", ".sync:2"])
def test_a_child_that_fails_fails_the_task_with_its_execution_as_cause(sfn: Any, failing_child: str,
                                                                       pattern: str) -> None:
    described = run(sfn, parent(f"{START}{pattern}", {"StateMachineArn": failing_child}))
    assert (described["status"], described["error"]) == ("FAILED", "States.TaskFailed")
    cause = json.loads(described["cause"])
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "SomeFailure", "the child broke")
    assert (cause["StateMachineArn"], "Output" in cause) == (failing_child, False)
    assert list(cause) == sorted(cause)


def test_wait_for_task_token_answers_what_the_token_is_sent(sfn: Any, child: str) -> None:
    token_child = machine(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    definition = parent(f"{START}.waitForTaskToken",
                        {"StateMachineArn": token_child, "Input": {"Token.$": "$$.Task.Token"}})
    sm = sfn.create_state_machine(name=f"t-{uuid.uuid4().hex[:12]}", definition=json.dumps(definition), roleArn=ROLE)
    execution = sfn.start_execution(stateMachineArn=sm["stateMachineArn"])["executionArn"]

    def child_output() -> str | None:
        children = sfn.list_executions(stateMachineArn=token_child, statusFilter="SUCCEEDED")["executions"]
        return children and sfn.describe_execution(executionArn=children[0]["executionArn"])["output"]

    sfn.send_task_success(taskToken=json.loads(wait_until(child_output))["Token"], output='{"answered":true}')
    described = wait_until(lambda: (d := sfn.describe_execution(executionArn=execution))["status"] != "RUNNING" and d)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"answered": True})


def test_aws_sdk_start_execution_answers_the_execution_alone(sfn: Any, child: str) -> None:
    definition = parent("arn:aws:states:::aws-sdk:sfn:startExecution", {"StateMachineArn": child, "Input": {"a": 1}})
    described = run(sfn, definition)
    assert described["status"] == "SUCCEEDED", described.get("cause")
    output = json.loads(described["output"])
    assert list(output) == ["ExecutionArn", "StartDate"]
    assert ISO_8601_UTC.fullmatch(output["StartDate"])
    assert sfn.describe_execution(executionArn=output["ExecutionArn"])["input"] == '{"a":1}'


def test_aws_sdk_start_execution_takes_a_null_input_as_none(sfn: Any, child: str) -> None:
    definition = parent("arn:aws:states:::aws-sdk:sfn:startExecution",
                        {"StateMachineArn": child, "Input": None, "Name": "named"})
    output = json.loads(run(sfn, definition)["output"])
    assert output["ExecutionArn"].endswith(":named")


def test_aws_sdk_describe_execution_answers_in_step_functions_casing(sfn: Any, failing_child: str) -> None:
    failed = sfn.start_execution(stateMachineArn=failing_child)["executionArn"]
    wait_until(lambda: sfn.describe_execution(executionArn=failed)["status"] == "FAILED")
    definition = parent("arn:aws:states:::aws-sdk:sfn:describeExecution", {"ExecutionArn": failed})
    output = json.loads(run(sfn, definition)["output"])
    assert (output["ExecutionArn"], output["Status"], output["Error"]) == (failed, "FAILED", "SomeFailure")
    assert output["InputDetails"] == {"Included": True}
    assert ISO_8601_UTC.fullmatch(output["StopDate"])


def test_other_aws_sdk_services_keep_their_own_names(sfn: Any, endpoint: str) -> None:
    # Only Step Functions' answers are renamed: SQS's MD5OfMessageBody stays as SQS spells it.
    url = client(endpoint, "sqs").create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    definition = parent("arn:aws:states:::aws-sdk:sqs:sendMessage", {"QueueUrl": url, "MessageBody": "hello"})
    output = json.loads(run(sfn, definition)["output"])
    assert {"MD5OfMessageBody", "MessageId"} <= set(output)
