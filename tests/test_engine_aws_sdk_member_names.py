"""aws-sdk: tasks of camelCase APIs take PascalCase parameters and answer in PascalCase, as on AWS."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from harness.engine.aws_sdk_member_names import camel_cased, operation, pascal_cased, request_named
from tests.engine_fixtures import ROLE, client, run


def _task(resource: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": f"arn:aws:states:::aws-sdk:{resource}", "Parameters": parameters, "End": True}}}


def test_a_camel_case_api_takes_the_parameters_step_functions_names(sfn: Any, endpoint: str) -> None:
    group = f"/tests/{uuid.uuid4().hex[:8]}"
    described = run(sfn, _task("cloudwatchlogs:createLogGroup", {"LogGroupName": group, "Tags": {"team": "filings"}}))
    assert described["status"] == "SUCCEEDED", described.get("cause")
    logs = client(endpoint, "logs")
    assert [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]] == [group]
    assert logs.list_tags_log_group(logGroupName=group)["tags"] == {"team": "filings"}


def test_its_answer_comes_back_in_pascal_case_a_map_s_keys_kept(sfn: Any, endpoint: str) -> None:
    group = f"/tests/{uuid.uuid4().hex[:8]}"
    client(endpoint, "logs").create_log_group(logGroupName=group, tags={"team": "filings"})
    listed = run(sfn, _task("cloudwatchlogs:describeLogGroups", {"LogGroupNamePrefix": group}))
    assert listed["status"] == "SUCCEEDED", listed.get("cause")
    [found] = json.loads(listed["output"])["LogGroups"]
    assert found["LogGroupName"] == group and "logGroupName" not in found
    tags = run(sfn, _task("cloudwatchlogs:listTagsLogGroup", {"LogGroupName": group}))
    assert json.loads(tags["output"]) == {"Tags": {"team": "filings"}}


def test_members_are_renamed_by_the_answer_s_shape_only() -> None:
    model = operation("logs", "describe_log_groups")
    assert model is not None
    answer = {"logGroups": [{"logGroupName": "g", "storedBytes": 0}], "nextToken": "t", "notInTheModel": 1}
    assert pascal_cased(answer, model.output_shape) == {
        "LogGroups": [{"LogGroupName": "g", "StoredBytes": 0}], "NextToken": "t", "notInTheModel": 1}


@pytest.mark.parametrize("service,action,camel", [
    ("s3", "get_object", False), ("dynamodb", "get_item", False), ("sqs", "send_message", False),
    ("secretsmanager", "get_secret_value", False), ("events", "put_events", False),
    ("logs", "create_log_group", True), ("stepfunctions", "start_execution", True)])
def test_only_an_operation_whose_own_members_are_camel_case_has_its_values_converted(
        service: str, action: str, camel: bool) -> None:
    model = operation(service, action)
    assert model is not None and camel_cased(model) is camel


def test_a_pascal_case_operation_s_camel_case_structures_take_step_functions_names(sfn: Any) -> None:
    # STS's AssumeRole is PascalCase, the PolicyArns it takes are {"arn": ...}: Step Functions writes "Arn".
    definition = _task("sts:assumeRole", {"RoleArn": ROLE, "RoleSessionName": "tests",
                                          "PolicyArns": [{"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]})
    described = run(sfn, definition, {})
    assert described["status"] == "SUCCEEDED", described.get("cause")
    assert json.loads(described["output"])["AssumedRoleUser"]["Arn"].endswith("/tests")


def test_a_pascal_case_answer_is_as_before_its_timestamps_included(sfn: Any, endpoint: str) -> None:
    bucket = f"b-{uuid.uuid4().hex[:8]}"
    s3 = client(endpoint, "s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"hi")
    answer = json.loads(run(sfn, _task("s3:getObject", {"Bucket": bucket, "Key": "k"}), {})["output"])
    assert answer["Body"] == "hi"
    # moto's own form (the history's): whole seconds, no milliseconds added.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", answer["LastModified"]), answer["LastModified"]


def test_a_map_s_values_are_renamed_its_keys_kept() -> None:
    model = operation("apigateway", "get_method")
    assert model is not None
    answer = {"httpMethod": "GET", "methodResponses": {"200": {"statusCode": "200", "responseModels": {"a/b": "M"}}}}
    assert pascal_cased(answer, model.output_shape) == {
        "HttpMethod": "GET", "MethodResponses": {"200": {"StatusCode": "200", "ResponseModels": {"a/b": "M"}}}}
    request = operation("apigateway", "put_integration")
    assert request is not None
    assert request_named({"RestApiId": "r", "RequestParameters": {"integration.request.header.X": "'v'"}},
                         request.input_shape) == {"restApiId": "r",
                                                  "requestParameters": {"integration.request.header.X": "'v'"}}
