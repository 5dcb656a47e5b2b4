"""aws-sdk: tasks of camelCase APIs take PascalCase parameters and answer in PascalCase, as on AWS."""

from __future__ import annotations

import json
import uuid
from typing import Any

from harness.engine.aws_sdk_member_names import operation, pascal_cased
from tests.engine_fixtures import client, run


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
