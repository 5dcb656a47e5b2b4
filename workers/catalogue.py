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


# What the recorder (workers/recorder.py) writes when a run fails; a redrive keeps the first
# failure as ``first_failure`` and takes these off, and ``failed_from`` says what status to go back to.
FAILURE_FIELDS = ("failed_state", "error", "failure_cause", "failed_at")
# The statuses of a request in flight: the only ones a failure may be recorded over.
IN_FLIGHT = (None, "RECEIVED", "FETCHED")


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

        The item may be new, or without a status (a request sent through again from ingesting it,
        workers/redrive.py), or RECEIVED with the same company, form type and count, or with
        none recorded yet. Anything else (a request that moved on, another request under the same
        id) raises StaleTask and writes nothing, so the caller archives the request only after
        this returned.
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
        same_request = "(#cik = :cik AND #form_type = :form_type AND #count = :count)"
        condition = (
            "attribute_not_exists(#status) OR "
            f"(#status = :status AND (attribute_not_exists(#cik) OR {same_request}))"
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

    def record_failure(self, request_id: str, failure: dict[str, str | None]) -> str:
        """FAILED, with where and why (``failure``: FAILURE_FIELDS), for a request in flight.

        Returns what happened, in an operator's words: recorded; already recorded (the same
        failure, delivered again); or left as it was, for a request no longer in flight (COMPLETE,
        or FAILED otherwise): a late or repeated report never turns a finished request into a
        failure. The status it had is kept as ``failed_from``, for a redrive to go back to.
        Conditional on the status just read, so a write that raced it is read again.
        """
        for _ in range(3):
            item = self.get(request_id) or {}
            status = item.get("status")
            if status == "FAILED" and all(item.get(k) == v for k, v in failure.items()):
                return "already recorded"
            if status not in IN_FLIGHT:
                return f"left as it was: the request is {status}, no longer in flight"
            fields = {"status": "FAILED", **failure}
            names = {f"#{name}": name for name in (*fields, "failed_from")}
            values = {f":{name}": _serialize(value) for name, value in fields.items()}
            update = "SET " + ", ".join(f"#{name} = :{name}" for name in fields)
            if status is None:
                update += " REMOVE #failed_from"
                condition = "attribute_not_exists(#status)"
            else:
                update += ", #failed_from = :status_before"
                values[":status_before"] = _serialize(status)
                condition = "#status = :status_before"
            if self._update_if(request_id, update, names, values, ConditionExpression=condition):
                faults.after_write(f"catalogue item {request_id}")
                return "recorded"
        raise RuntimeError(f"request {request_id}: its status kept changing while its failure was recorded")

    def start_redrive(self, item: dict[str, Any], attempt: int) -> bool:
        """A FAILED item (as just read) goes back to the status it failed from, for its run to be
        redriven: ``redrives`` counts this one, the first failure stays as ``first_failure``;
        False if the item changed since it was read.

        Conditional, so two operators redriving at once make one redrive, not two.
        """
        request_id = str(item["request_id"])
        failure = {field: _serialize(item[field]) for field in FAILURE_FIELDS if field in item}
        names = {"#status": "status", "#failed_from": "failed_from", **{f"#{f}": f for f in FAILURE_FIELDS}}
        values: dict[str, Any] = {
            ":failed": {"S": "FAILED"},
            ":failed_at": {"S": str(item.get("failed_at", ""))},
            ":attempt": {"N": str(attempt)},
            ":at": {"S": now()},
            ":failure": {"M": failure},
        }
        removed = ["#failed_from", *(f"#{f}" for f in FAILURE_FIELDS)]
        update = "SET redrives = :attempt, redriven_at = :at, first_failure = if_not_exists(first_failure, :failure)"
        if item.get("failed_from"):
            update += ", #status = :back"
            values[":back"] = {"S": str(item["failed_from"])}
        else:
            removed.append("#status")  # it failed before it was recorded at all (at ingesting it)
        return self._update_if(
            request_id, f"{update} REMOVE {', '.join(removed)}", names, values,
            ConditionExpression="#status = :failed AND #failed_at = :failed_at",
        )

    def undo_redrive(self, item: dict[str, Any], attempt: int) -> bool:
        """Put back ``item`` (as read before ``start_redrive``) when its run could not be redriven
        after all; False if something else changed it since."""
        try:
            self.dynamodb.put_item(
                TableName=self.table,
                Item={key: _serialize(value) for key, value in item.items()},
                ConditionExpression="redrives = :attempt",
                ExpressionAttributeValues={":attempt": {"N": str(attempt)}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

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
