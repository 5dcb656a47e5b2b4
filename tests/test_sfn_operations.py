"""Every operation of botocore's ``stepfunctions`` model, called once: a result or a modeled AWS error.

The list of operations comes from the service model itself, so an operation added to botocore
fails here until it has a call below. Each call uses minimal arguments; where a call needs a
resource it names one made for the test, or one that does not exist (the modeled error then
says so). Never an HTTP 500, never an error code the operation's model does not list.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from harness.aws_clients import LOCAL_CREDENTIALS
from tests.engine_fixtures import ROLE, wait_until

PROJECT = Path(__file__).resolve().parent.parent
MODEL = botocore.session.get_session().get_service_model("stepfunctions")
ACCOUNT_REGION = "us-east-1:123456789012"
PASS = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
FAIL = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Fail", "Error": "E", "Cause": "c"}}})
UNKNOWN = f"arn:aws:states:{ACCOUNT_REGION}"


@dataclass
class World:
    """Resources the calls refer to, made once on the emulator."""

    machine: str
    express: str
    execution: str
    activity: str


def operations_client(endpoint: str) -> Any:
    # No retries: a 500 must show as one, not be retried into a time-out. No host prefix: the
    # prefix is tested on its own (test_sfn_host_prefix.py).
    return boto3.client("stepfunctions", region_name="us-east-1", endpoint_url=endpoint,
                        config=Config(retries={"total_max_attempts": 1}, inject_host_prefix=False),
                        **LOCAL_CREDENTIALS)


@pytest.fixture(scope="module")
def ops(endpoint: str) -> Any:
    return operations_client(endpoint)


@pytest.fixture(scope="module")
def world(ops: Any) -> World:
    suffix = uuid.uuid4().hex[:8]
    machine = ops.create_state_machine(name=f"ops-{suffix}", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    express = ops.create_state_machine(name=f"ops-x-{suffix}", definition=PASS, roleArn=ROLE,
                                       type="EXPRESS")["stateMachineArn"]
    execution = ops.start_execution(stateMachineArn=machine, name=f"e-{suffix}")["executionArn"]
    wait_until(lambda: ops.describe_execution(executionArn=execution)["status"] != "RUNNING")
    activity = ops.create_activity(name=f"ops-a-{suffix}")["activityArn"]
    return World(machine, express, execution, activity)


def _unknown_map_run(w: World) -> str:
    return f"{UNKNOWN}:mapRun:{w.machine.rsplit(':', 1)[1]}/Map:{uuid.uuid4()}"


# Minimal arguments for each operation, given the world.
CALLS: dict[str, Callable[[World], dict[str, Any]]] = {
    "CreateActivity": lambda w: {"name": f"a-{uuid.uuid4().hex[:8]}"},
    "CreateStateMachine": lambda w: {"name": f"m-{uuid.uuid4().hex[:8]}", "definition": PASS, "roleArn": ROLE},
    "CreateStateMachineAlias": lambda w: {"name": "live", "routingConfiguration": [
        {"stateMachineVersionArn": f"{w.machine}:1", "weight": 100}]},
    "DeleteActivity": lambda w: {"activityArn": f"{UNKNOWN}:activity:gone"},
    "DeleteStateMachine": lambda w: {"stateMachineArn": f"{UNKNOWN}:stateMachine:gone"},
    "DeleteStateMachineAlias": lambda w: {"stateMachineAliasArn": f"{w.machine}:nope"},
    "DeleteStateMachineVersion": lambda w: {"stateMachineVersionArn": f"{w.machine}:99"},
    "DescribeActivity": lambda w: {"activityArn": w.activity},
    "DescribeExecution": lambda w: {"executionArn": w.execution},
    "DescribeMapRun": lambda w: {"mapRunArn": _unknown_map_run(w)},
    "DescribeStateMachine": lambda w: {"stateMachineArn": w.machine},
    "DescribeStateMachineAlias": lambda w: {"stateMachineAliasArn": f"{w.machine}:nope"},
    "DescribeStateMachineForExecution": lambda w: {"executionArn": w.execution},
    "GetActivityTask": lambda w: {"activityArn": f"{UNKNOWN}:activity:gone"},
    "GetExecutionHistory": lambda w: {"executionArn": w.execution},
    "ListActivities": lambda w: {},
    "ListExecutions": lambda w: {},
    "ListMapRuns": lambda w: {"executionArn": w.execution},
    "ListStateMachineAliases": lambda w: {"stateMachineArn": w.machine},
    "ListStateMachineVersions": lambda w: {"stateMachineArn": w.machine},
    "ListStateMachines": lambda w: {},
    "ListTagsForResource": lambda w: {"resourceArn": w.machine},
    "PublishStateMachineVersion": lambda w: {"stateMachineArn": w.machine},
    "RedriveExecution": lambda w: {"executionArn": w.execution},
    "SendTaskFailure": lambda w: {"taskToken": "no-such-token"},
    "SendTaskHeartbeat": lambda w: {"taskToken": "no-such-token"},
    "SendTaskSuccess": lambda w: {"taskToken": "no-such-token", "output": "{}"},
    "StartExecution": lambda w: {"stateMachineArn": w.machine},
    "StartSyncExecution": lambda w: {"stateMachineArn": w.express},
    "StopExecution": lambda w: {"executionArn": w.execution},
    "TagResource": lambda w: {"resourceArn": w.machine, "tags": [{"key": "team", "value": "filings"}]},
    "TestState": lambda w: {"definition": json.dumps({"Type": "Pass", "End": True}), "roleArn": ROLE},
    "UntagResource": lambda w: {"resourceArn": w.machine, "tagKeys": ["team"]},
    "UpdateMapRun": lambda w: {"mapRunArn": _unknown_map_run(w)},
    "UpdateStateMachine": lambda w: {"stateMachineArn": w.machine},
    "UpdateStateMachineAlias": lambda w: {"stateMachineAliasArn": f"{w.machine}:nope", "description": "d"},
    "ValidateStateMachineDefinition": lambda w: {"definition": PASS},
}


def test_every_operation_of_the_model_has_a_call() -> None:
    assert sorted(CALLS) == sorted(MODEL.operation_names)


@pytest.mark.parametrize("operation", MODEL.operation_names)
def test_operation_answers_a_result_or_a_modeled_error(ops: Any, world: World, operation: str) -> None:
    op = MODEL.operation_model(operation)
    method = getattr(ops, botocore.xform_name(operation))
    try:
        result = method(**CALLS[operation](world))
    except ClientError as err:
        code = err.response["Error"]["Code"]
        status = err.response["ResponseMetadata"]["HTTPStatusCode"]
        modeled = {shape.name for shape in op.error_shapes}
        assert status < 500 and code in modeled, f"{operation}: HTTP {status} {code!r} {err}"
    else:
        assert result["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_the_operations_table_lists_every_operation_once() -> None:
    lines = (PROJECT / "docs" / "stepfunctions-api.md").read_text().splitlines()
    # The operations table runs from its header to the first line that is not a row; other
    # tables of the page (the integrations' answers) are not operations.
    start = next(i for i, line in enumerate(lines) if line.startswith("| Operation")) + 2
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("| ")), len(lines))
    rows = [line.split("|")[1].strip() for line in lines[start:end]]
    assert sorted(rows) == sorted(MODEL.operation_names)
