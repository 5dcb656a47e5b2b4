"""aws-sdk: task errors are named after the SDK's client, and Secrets Manager checks secret names."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.engine.aws_sdk_errors import sdk_client_name
from tests.engine_fixtures import client, run


@pytest.mark.parametrize("service_id,name", [("S3", "S3"), ("Secrets Manager", "SecretsManager"),
                                             ("DynamoDB", "DynamoDb"), ("SFN", "Sfn"), ("EC2", "Ec2"),
                                             ("API Gateway", "ApiGateway"), ("EventBridge", "EventBridge")])
def test_service_ids_become_sdk_client_names(service_id: str, name: str) -> None:
    assert sdk_client_name(service_id) == name


def test_a_catch_on_s3_no_such_key_catches_a_missing_object(sfn: Any, endpoint: str) -> None:
    bucket = f"b-{uuid.uuid4().hex[:8]}"
    client(endpoint, "s3").create_bucket(Bucket=bucket)
    definition = {"StartAt": "Get", "States": {
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                "Parameters": {"Bucket": bucket, "Key": "missing.json"},
                "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "Next": "Missing"}], "End": True},
        "Missing": {"Type": "Succeed"}}}
    assert run(sfn, definition, {})["status"] == "SUCCEEDED"


def test_an_unmodelled_error_is_named_after_the_service(sfn: Any) -> None:
    definition = {"StartAt": "Create", "States": {"Create": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:secretsmanager:createSecret",
        "Parameters": {"Name": "Invalid Name", "SecretString": "x"}, "End": True}}}
    described = run(sfn, definition, {})
    assert described["error"] == "SecretsManager.SecretsManagerException"
    assert described["cause"].startswith("Invalid name. Must be a valid name containing alphanumeric characters, "
                                         "or any of the following: -/_+=.@! (Service: SecretsManager, Status Code: 400")


def test_secrets_manager_refuses_a_name_outside_its_alphabet(endpoint: str) -> None:
    with pytest.raises(ClientError) as err:
        client(endpoint, "secretsmanager").create_secret(Name="has space", SecretString="x")
    assert err.value.response["Error"]["Code"] == "ValidationException"
