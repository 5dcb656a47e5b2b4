"""Overlapping conditional writes to one item: exactly one wins, as on AWS."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from harness.aws_clients import Clients


def test_only_one_of_many_overlapping_conditional_writes_succeeds(emulator: Clients) -> None:
    table = f"t-{uuid.uuid4().hex[:8]}"
    emulator.dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )

    def claim(worker: int) -> bool:
        client = emulator.client("dynamodb")
        try:
            client.update_item(
                TableName=table,
                Key={"id": {"S": "one"}},
                UpdateExpression="SET claimed_by = :w",
                ConditionExpression="attribute_not_exists(claimed_by)",
                ExpressionAttributeValues={":w": {"N": str(worker)}},
            )
            return True
        except ClientError as exc:
            assert exc.response["Error"]["Code"] == "ConditionalCheckFailedException"
            return False

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(claim, range(32)))
    assert outcomes.count(True) == 1
