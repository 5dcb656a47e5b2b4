"""DynamoDB tables, on demand, keyed by one string attribute."""

from __future__ import annotations

from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.resources.kind import Planned, error_code
from harness.resources.record import Provisioned
from harness.settings import Settings

kind = "table"
section = "tables"
suffixes = ("Name", "Arn")
gone = frozenset({"ResourceNotFoundException"})


def create(clients: Clients, settings: Settings, planned: Planned, out: Provisioned) -> None:
    key = planned.spec.hash_key
    try:
        clients.dynamodb.create_table(
            TableName=planned.name,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        out.made(kind, planned.name)
    except ClientError as exc:
        if error_code(exc) != "ResourceInUseException":
            raise
    clients.dynamodb.get_waiter("table_exists").wait(TableName=planned.name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    discover(clients, planned, out)


def discover(clients: Clients, planned: Planned, out: Provisioned) -> None:
    arn = clients.dynamodb.describe_table(TableName=planned.name)["Table"]["TableArn"]
    out.record(planned.logical_name, planned.name, Arn=arn)


def delete(clients: Clients, identifier: str) -> None:
    clients.dynamodb.delete_table(TableName=identifier)


def plan_lines(planned: Planned) -> list[str]:
    return [f"DynamoDB table   {planned.name} (on-demand)"]
