"""Counts that prove nothing was lost or duplicated: executions, items, objects, messages.

Read straight from the stack's resources, never from what the apps say they did.
"""

from __future__ import annotations

from typing import Any

from harness.statemachine.burst import queue_depth
from steps.filing_burst import WORK_QUEUES
from steps.pipeline_context import placeholder


def executions_named(context: Any, name: str) -> list[dict[str, Any]]:
    sfn = context.stack.aws.stepfunctions
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=context.stack.provisioned.state_machine_arn)
    return [e for page in pages for e in page["executions"] if e["name"] == name]


def items_for(context: Any, request_id: str) -> int:
    # A query, not a get: it would show a second item if the key were ever written twice.
    return context.stack.aws.dynamodb.query(
        TableName=placeholder(context, "FilingsTableName"),
        KeyConditionExpression="request_id = :id",
        ExpressionAttributeValues={":id": {"S": request_id}},
        ConsistentRead=True,
        Select="COUNT",
    )["Count"]


def work_queue_depths(context: Any) -> dict[str, int]:
    return {name: queue_depth(context.stack.aws, placeholder(context, f"{name}Url")) for name in WORK_QUEUES}
