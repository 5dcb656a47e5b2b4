"""The catalogue table as pipeline.json declares it (keyed by request_id), for tests of the apps."""

from __future__ import annotations

from typing import Any


def create_catalogue_table(dynamodb: Any, name: str) -> str:
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "request_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "request_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name
