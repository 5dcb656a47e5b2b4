"""SQS answers SendMessage without a body as AWS does, and an sqs: task reports it as AWS names it."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from harness.aws_clients import LOCAL_CREDENTIALS

from tests.engine_fixtures import run


def test_send_message_without_a_body_is_missing_parameter(endpoint: str, sqs: Any) -> None:
    url = sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    # Without the SDK's own check, as Step Functions' integration or another SDK may send it.
    unchecked = boto3.client("sqs", region_name="us-east-1", endpoint_url=endpoint,
                             config=Config(parameter_validation=False), **LOCAL_CREDENTIALS)
    with pytest.raises(ClientError) as err:
        unchecked.send_message(QueueUrl=url)
    assert err.value.response["Error"]["Code"] in ("MissingParameter", "AWS.SimpleQueueService.MissingParameter")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_task_sees_the_sqs_error_as_amazon_sqs_exception(sfn: Any, sqs: Any) -> None:
    url = sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    definition = {"StartAt": "Send", "States": {"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl.$": "$.url", "MessageBody.$": "$.body"}, "End": True}}}
    described = run(sfn, definition, {"url": url, "body": None})
    assert (described["status"], described["error"]) == ("FAILED", "SQS.AmazonSQSException")
    assert described["cause"].startswith("The request must contain the parameter MessageBody. (Service: AmazonSQS; "
                                         "Status Code: 400; Error Code: MissingParameter;")
