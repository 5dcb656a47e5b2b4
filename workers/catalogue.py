"""The DynamoDB catalogue: one item per filing request, keyed by its request id."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from workers import aws, faults
from workers.errors import StaleTask
from workers.filing_request import FilingRequest

_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


# What RecordFailure in the definition writes; a redrive moves it to ``last_failure``.
FAILURE_FIELDS = ("failed_state", "error", "failure_cause", "failed_at")


class Catalogue:
    def __init__(self, table_name: str) -> None:
        self.table = table_name
        self.dynamodb = aws.client("dynamodb")

    def update(self, request_id: str, *, after: tuple[str, ...] | None = None, **fields: Any) -> None:
        """Set the given attributes on the item (creating it): safe to repeat.

        ``after``: the statuses the item may have now (a missing item counts as ``None`` in it).
        A late run of a task, whose message came back after the request moved on, must not
        undo what came since (COMPLETE back to FETCHED, FAILED back to RECEIVED): then this
        raises StaleTask and writes nothing.
        """
        names = {f"#{i}": name for i, name in enumerate(fields)}
        values = {f":{i}": _serialize(value) for i, value in enumerate(fields.values())}
        assignments = ", ".join(f"#{i} = :{i}" for i in range(len(fields)))
        condition: dict[str, Any] = {}
        if after is not None:
            allowed = [status for status in after if status is not None]
            names["#status_now"] = "status"
            values.update({f":after{i}": _serialize(status) for i, status in enumerate(allowed)})
            clauses = [f"#status_now = :after{i}" for i in range(len(allowed))]
            if None in after:
                clauses.append("attribute_not_exists(#status_now)")
            condition["ConditionExpression"] = " OR ".join(clauses)
        if not self._update_if(request_id, f"SET {assignments}", names, values, **condition):
            raise StaleTask(
                f"request {request_id} has moved on (it is no longer {' or '.join(status or 'new' for status in after or ())}); "
                "this task came too late and changed nothing"
            )
        faults.after_write(f"catalogue item {request_id}")

    def record_request(self, request: FilingRequest, request_key: str) -> None:
        """RECEIVED, for a request that owns its id: a new item, or this very request again.

        The item may be new, or RECEIVED or REDRIVING (an operator sent a failed request again,
        workers/redrive.py) with the same company, form type and count, or with none recorded yet
        (a request that failed before ingest recorded it). Anything else (a request that moved
        on, another request under the same id) raises StaleTask and writes nothing, so the
        caller archives the request only after this returned.
        """
        fields = {
            "cik": request.cik,
            "form_type": request.form_type,
            "count": request.count,
            "status": "RECEIVED",
            "request_key": request_key,
            "received_at": now(),
        }
        names = {f"#{name}": name for name in fields}
        values = {f":{name}": _serialize(value) for name, value in fields.items()}
        values.update({":redriving": _serialize("REDRIVING")})
        same_request = "(#cik = :cik AND #form_type = :form_type AND #count = :count)"
        condition = (
            "attribute_not_exists(#status) OR "
            f"(#status IN (:status, :redriving) AND (attribute_not_exists(#cik) OR {same_request}))"
        )
        update = "SET " + ", ".join(f"#{name} = :{name}" for name in fields)
        if not self._update_if(request.request_id, update, names, values, ConditionExpression=condition):
            raise StaleTask(
                f"request {request.request_id} is taken: it has moved on, or it is another request "
                "under the same id; this task changed nothing"
            )
        faults.after_write(f"catalogue item {request.request_id}")

    def get(self, request_id: str) -> dict[str, Any] | None:
        item = self.dynamodb.get_item(
            TableName=self.table, Key={"request_id": {"S": request_id}}, ConsistentRead=True
        ).get("Item")
        return {key: _deserialize(value) for key, value in item.items()} if item else None

    def start_redrive(self, item: dict[str, Any], attempt: int) -> bool:
        """FAILED -> REDRIVING, the failure of ``item`` (as just read) kept as ``last_failure``;
        False if it is no longer FAILED.

        Conditional, so two operators redriving at once make one redrive, not two.
        """
        request_id = str(item["request_id"])
        last_failure = {field: {"S": str(item[field])} for field in FAILURE_FIELDS if field in item}
        return self._update_if(
            request_id,
            "SET #status = :redriving, redrives = :attempt, redriven_at = :at, "
            "last_failure = :last REMOVE " + ", ".join(f"#{field}" for field in FAILURE_FIELDS),
            {"#status": "status", **{f"#{field}": field for field in FAILURE_FIELDS}},
            {
                ":failed": {"S": "FAILED"},
                ":redriving": {"S": "REDRIVING"},
                ":attempt": {"N": str(attempt)},
                ":at": {"S": now()},
                ":last": {"M": last_failure},
            },
            ConditionExpression="#status = :failed",
        )

    def _update_if(
        self, request_id: str, update: str, names: dict[str, str], values: dict[str, Any], **condition: str
    ) -> bool:
        """UpdateItem on the request's item; False (nothing written) when its condition fails."""
        try:
            self.dynamodb.update_item(
                TableName=self.table,
                Key={"request_id": {"S": request_id}},
                UpdateExpression=update,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                **condition,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True
