"""Overlapping conditional writes to one item: exactly one wins, and a read sees a write whole, as on AWS."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from harness.aws_clients import Clients


def _new_table(emulator: Clients) -> str:
    table = f"t-{uuid.uuid4().hex[:8]}"
    emulator.dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return table


def test_only_one_of_many_overlapping_conditional_writes_succeeds(emulator: Clients) -> None:
    table = _new_table(emulator)

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


def test_a_read_never_sees_half_of_an_update(emulator: Clients) -> None:
    """AWS applies an UpdateItem to its item as one step: a read sees it all, or none of it."""
    table = _new_table(emulator)
    fields = [f"f{n}" for n in range(120)]
    key = {"id": {"S": "one"}}

    def write(round_: int) -> None:
        emulator.client("dynamodb").update_item(
            TableName=table, Key=key,
            UpdateExpression="SET " + ", ".join(f"{name} = :v" for name in fields),
            ExpressionAttributeValues={":v": {"N": str(round_)}},
        )

    def read(_: int) -> set[str]:
        item = emulator.client("dynamodb").get_item(TableName=table, Key=key, ConsistentRead=True).get("Item", {})
        return {item[name]["N"] if name in item else "-" for name in fields}

    with ThreadPoolExecutor(max_workers=8) as pool:
        writes = [pool.submit(write, n) for n in range(60)]
        seen = list(pool.map(read, range(400)))
        for done in writes:
            done.result()
    torn = [values for values in seen if len(values) > 1]
    assert torn == [], f"{len(torn)} of {len(seen)} reads saw an update half done"
