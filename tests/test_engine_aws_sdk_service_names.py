"""aws-sdk: tasks name their service as AWS's SDK integration does, where botocore names it otherwise."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from harness.engine.aws_sdk_service_names import botocore_name, sdk_name
from tests.engine_fixtures import client, run, wait_until


@pytest.mark.parametrize("service_id,name", [
    ("ACM PCA", "acmpca"), ("EventBridge", "eventbridge"), ("CloudWatch Logs", "cloudwatchlogs"),
    ("Elastic Load Balancing v2", "elasticloadbalancingv2"), ("Database Migration Service", "databasemigration"),
    ("Config Service", "config"), ("DynamoDB", "dynamodb"), ("SFN", "sfn")])
def test_a_service_id_becomes_the_sdk_name_a_resource_uses(service_id: str, name: str) -> None:
    assert sdk_name(service_id) == name


@pytest.mark.parametrize("name,service", [
    ("eventbridge", "events"), ("cloudwatchlogs", "logs"), ("acmpca", "acm-pca"), ("sfn", "stepfunctions"),
    ("elasticloadbalancingv2", "elbv2"), ("s3", "s3"), ("dynamodb", "dynamodb"), ("nosuchservice", "nosuchservice")])
def test_a_resource_s_service_name_resolves_to_the_botocore_service_it_calls(name: str, service: str) -> None:
    assert botocore_name(name) == service


def test_an_eventbridge_task_puts_its_event_on_the_bus(sfn: Any, sqs: Any, endpoint: str) -> None:
    events = client(endpoint, "events")
    source = f"tests.{uuid.uuid4().hex[:8]}"
    url = sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=source.replace(".", "-"), EventPattern=json.dumps({"source": [source]}))
    events.put_targets(Rule=source.replace(".", "-"), Targets=[{"Id": "queue", "Arn": arn}])
    definition = {"StartAt": "Put", "States": {"Put": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:eventbridge:putEvents",
        "Parameters": {"Entries": [{"Source": source, "DetailType": "filed", "Detail": "{\"n\": 1}"}]}, "End": True}}}
    described = run(sfn, definition, {})
    assert described["status"] == "SUCCEEDED", described.get("cause")
    assert json.loads(described["output"])["FailedEntryCount"] == 0
    delivered = wait_until(lambda: sqs.receive_message(QueueUrl=url).get("Messages"))
    assert json.loads(delivered[0]["Body"])["detail"] == {"n": 1}


def test_an_error_of_such_a_service_is_named_after_its_sdk_client(sfn: Any) -> None:
    definition = {"StartAt": "Describe", "States": {"Describe": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:eventbridge:describeRule",
        "Parameters": {"Name": f"missing-{uuid.uuid4().hex[:8]}"}, "End": True}}}
    assert run(sfn, definition, {})["error"] == "EventBridge.ResourceNotFoundException"
