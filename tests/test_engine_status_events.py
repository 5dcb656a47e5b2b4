"""Execution status change events: an EventBridge rule on them delivers each change to its queue."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.engine_fixtures import ROLE, client, wait_until

FAILS_FIRST = {"QueryLanguage": "JSONata", "StartAt": "Work", "States": {
    "Work": {"Type": "Pass",
             "Output": "{% $states.context.Execution.RedriveCount > 0 ? 'done' : $error('not yet') %}",
             "End": True}}}


@pytest.fixture
def events(endpoint: str) -> Any:
    return client(endpoint, "events")


def _rule_to_queue(events: Any, sqs: Any, pattern: dict[str, Any]) -> str:
    name = f"status-{uuid.uuid4().hex[:8]}"
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=name, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=name, Targets=[{"Id": "queue", "Arn": arn}])
    return url


def _received(sqs: Any, url: str, count: int) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []

    def enough() -> bool:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            got.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return len(got) >= count

    wait_until(enough)
    return got


def test_a_failed_and_redriven_execution_sends_each_status(sfn: Any, sqs: Any, events: Any) -> None:
    machine = sfn.create_state_machine(name=f"e-{uuid.uuid4().hex[:8]}", definition=json.dumps(FAILS_FIRST),
                                       roleArn=ROLE)["stateMachineArn"]
    url = _rule_to_queue(events, sqs, {"source": ["aws.states"], "detail-type": ["Step Functions Execution Status Change"],
                                       "detail": {"stateMachineArn": [machine]}})
    arn = sfn.start_execution(stateMachineArn=machine, name="run-1", input='{"n": 1}')["executionArn"]
    first = _received(sqs, url, 2)
    sfn.redrive_execution(executionArn=arn)
    again = _received(sqs, url, 2)

    statuses = [(e["detail"]["status"], e["detail"]["redriveCount"]) for e in first + again]
    assert statuses == [("RUNNING", 0), ("FAILED", 0), ("RUNNING", 1), ("SUCCEEDED", 1)]
    failed = first[1]
    assert (failed["source"], failed["detail-type"], failed["resources"]) == (
        "aws.states", "Step Functions Execution Status Change", [arn])
    assert failed["detail"]["executionArn"] == arn and failed["detail"]["name"] == "run-1"
    assert failed["detail"]["error"] == "States.QueryEvaluationError"
    assert (failed["detail"]["redriveStatus"], json.loads(failed["detail"]["input"])) == ("REDRIVABLE", {"n": 1})
    assert failed["detail"]["stopDate"] >= failed["detail"]["startDate"] > 0
    assert json.loads(again[1]["detail"]["output"]) == "done"


def test_a_rule_for_failures_only_gets_no_success(sfn: Any, sqs: Any, events: Any) -> None:
    machine = sfn.create_state_machine(name=f"e-{uuid.uuid4().hex[:8]}",
                                       definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
                                       roleArn=ROLE)["stateMachineArn"]
    url = _rule_to_queue(events, sqs, {"source": ["aws.states"],
                                       "detail": {"stateMachineArn": [machine], "status": ["FAILED", "RUNNING"]}})
    sfn.start_execution(stateMachineArn=machine)
    assert [e["detail"]["status"] for e in _received(sqs, url, 1)] == ["RUNNING"]
    wait_until(lambda: sfn.list_executions(stateMachineArn=machine, statusFilter="SUCCEEDED")["executions"])
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)


def test_an_output_holding_an_sdk_timestamp_is_described_and_announced_as_the_history_has_it(
    endpoint: str, sfn: Any, sqs: Any, events: Any
) -> None:
    # S3's LastModified reaches the output as a timestamp, which plain JSON cannot write:
    # DescribeExecution answered with an internal error and the SUCCEEDED event was never sent.
    s3 = client(endpoint, "s3")
    bucket = f"stamps-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"hi")
    definition = {"StartAt": "Get", "States": {"Get": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
        "Parameters": {"Bucket": bucket, "Key": "k"}, "End": True}}}
    machine = sfn.create_state_machine(name=f"e-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition),
                                       roleArn=ROLE)["stateMachineArn"]
    url = _rule_to_queue(events, sqs, {"source": ["aws.states"],
                                       "detail": {"stateMachineArn": [machine], "status": ["SUCCEEDED"]}})
    arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]

    [announced] = _received(sqs, url, 1)
    described = sfn.describe_execution(executionArn=arn)
    [succeeded] = [e for e in sfn.get_execution_history(executionArn=arn)["events"] if e["type"] == "ExecutionSucceeded"]
    in_history = succeeded["executionSucceededEventDetails"]["output"]
    assert described["status"] == "SUCCEEDED"
    assert described["output"] == in_history == announced["detail"]["output"]
    assert json.loads(in_history)["Body"] == "hi" and json.loads(in_history)["LastModified"]
