"""DynamoDB refuses invalid requests as AWS does, and a dynamodb: task names its errors as AWS does."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from harness.aws_clients import LOCAL_CREDENTIALS
from tests.engine_fixtures import client, run


@pytest.fixture(scope="module")
def table(endpoint: str) -> str:
    name = f"t-{uuid.uuid4().hex[:8]}"
    client(endpoint, "dynamodb").create_table(
        TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    return name


def _unchecked(endpoint: str) -> Any:
    # Without the SDK's own checks, as another SDK or a hand-made request may send it.
    return boto3.client("dynamodb", region_name="us-east-1", endpoint_url=endpoint,
                        config=Config(parameter_validation=False), **LOCAL_CREDENTIALS)


def test_a_missing_required_member_is_a_validation_error(endpoint: str, table: str) -> None:
    with pytest.raises(ClientError) as err:
        _unchecked(endpoint).put_item(TableName=table)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert err.value.response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null")


@pytest.mark.parametrize("name,constraint", [
    ("/bad", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ("ab", "Member must have length greater than or equal to 3"),
])
def test_a_table_name_outside_its_pattern_is_a_validation_error(endpoint: str, name: str, constraint: str) -> None:
    with pytest.raises(ClientError) as err:
        _unchecked(endpoint).get_item(TableName=name, Key={"id": {"S": "1"}})
    assert err.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: {constraint}")


def test_update_item_reports_consumed_capacity_only_when_asked(endpoint: str, table: str) -> None:
    ddb = client(endpoint, "dynamodb")
    update = {"TableName": table, "Key": {"id": {"S": "u1"}}, "UpdateExpression": "SET v = :v",
              "ExpressionAttributeValues": {":v": {"S": "x"}}}
    assert "ConsumedCapacity" not in ddb.update_item(**update)
    assert "ConsumedCapacity" in ddb.update_item(**update, ReturnConsumedCapacity="TOTAL")


def test_a_task_names_an_unmodelled_dynamodb_error_amazon_dynamodb_exception(sfn: Any, table: str) -> None:
    definition = {"StartAt": "Put", "States": {"Put": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {"TableName.$": "$.table", "Item.$": "$.item"}, "End": True}}}
    described = run(sfn, definition, {"table": table, "item": None})
    assert described["error"] == "DynamoDB.AmazonDynamoDBException"
    assert described["cause"].startswith("1 validation error detected: Value null at 'item' failed to satisfy "
                                         "constraint: Member must not be null (Service: AmazonDynamoDBv2; "
                                         "Status Code: 400; Error Code: ValidationException;")


def test_a_task_keeps_a_modelled_dynamodb_error_name(sfn: Any, table: str) -> None:
    definition = {"StartAt": "Put", "States": {"Put": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {"TableName": table, "Item": {"id": {"S": "c1"}}, "ConditionExpression": "attribute_exists(id)"},
        "End": True}}}
    assert run(sfn, definition, {})["error"] == "DynamoDB.ConditionalCheckFailedException"


def test_get_item_metadata_names_the_request_id_header_in_lower_case(sfn: Any, table: str) -> None:
    definition = {"StartAt": "Get", "States": {"Get": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "Parameters": {"TableName": table, "Key": {"id": {"S": "none"}}}, "End": True}}}
    headers = json.loads(run(sfn, definition, {})["output"])["SdkHttpMetadata"]["HttpHeaders"]
    assert "x-amzn-requestid" in headers and "x-amzn-RequestId" not in headers
