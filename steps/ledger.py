"""Counts that prove nothing was lost or duplicated: executions, items, objects, messages.

Read straight from the stack's resources, never from what the apps say they did.
"""

from __future__ import annotations

from typing import Any

from steps.pipeline_context import placeholder

WORK_QUEUES = ("RequestQueue", "IngestQueue", "UtilitiesQueue", "ValidatorQueue")


def executions_named(context: Any, name: str) -> list[dict[str, Any]]:
    sfn = context.stack.aws.stepfunctions
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=context.stack.provisioned.state_machine_arn)
    return [e for page in pages for e in page["executions"] if e["name"] == name]


def all_executions(context: Any) -> list[dict[str, Any]]:
    sfn = context.stack.aws.stepfunctions
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=context.stack.provisioned.state_machine_arn)
    return [e for page in pages for e in page["executions"]]


def items_for(context: Any, request_id: str) -> int:
    # A query, not a get: it would show a second item if the key were ever written twice.
    return context.stack.aws.dynamodb.query(
        TableName=placeholder(context, "FilingsTableName"),
        KeyConditionExpression="request_id = :id",
        ExpressionAttributeValues={":id": {"S": request_id}},
        ConsistentRead=True,
        Select="COUNT",
    )["Count"]


def request_prefix(request_id: str) -> str:
    """Where the archive keeps everything about one request (workers/archive.py)."""
    return f"requests/{request_id}/"


def object_keys(context: Any, prefix: str) -> list[str]:
    pages = context.stack.aws.s3.get_paginator("list_objects_v2").paginate(
        Bucket=placeholder(context, "FilingsBucketName"), Prefix=prefix
    )
    return [obj["Key"] for page in pages for obj in page.get("Contents", [])]


def queue_depth(context: Any, url: str) -> int:
    """Messages waiting plus messages in flight (received, not yet deleted)."""
    attributes = context.stack.aws.sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def work_queue_depths(context: Any) -> dict[str, int]:
    return {name: queue_depth(context, placeholder(context, f"{name}Url")) for name in WORK_QUEUES}


def dead_letter_depths(context: Any) -> dict[str, int]:
    return {name: queue_depth(context, placeholder(context, f"{name}DeadLetterUrl")) for name in WORK_QUEUES}
