"""The DynamoDB catalogue: one item per filing request, keyed by its request id."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from workers import aws, faults

_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class Catalogue:
    def __init__(self, table_name: str) -> None:
        self.table = table_name
        self.dynamodb = aws.client("dynamodb")

    def update(self, request_id: str, **fields: Any) -> None:
        """Set the given attributes on the item (creating it): safe to repeat."""
        names = {f"#{i}": name for i, name in enumerate(fields)}
        values = {f":{i}": _serialize(value) for i, value in enumerate(fields.values())}
        assignments = ", ".join(f"#{i} = :{i}" for i in range(len(fields)))
        self.dynamodb.update_item(
            TableName=self.table,
            Key={"request_id": {"S": request_id}},
            UpdateExpression=f"SET {assignments}",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
        faults.after_write(f"catalogue item {request_id}")

    def get(self, request_id: str) -> dict[str, Any] | None:
        item = self.dynamodb.get_item(
            TableName=self.table, Key={"request_id": {"S": request_id}}, ConsistentRead=True
        ).get("Item")
        return {key: _deserialize(value) for key, value in item.items()} if item else None
