"""Where a secret could leak, read whole, and every place that holds it.

Logs and reports are files; the rest is read from the stack: every archived object, every
catalogue item, every message on a dead-letter queue (the live queues drained first), every execution's
input, output and history (which hold the apps' failure causes, i.e. exception texts), and what
every endpoint the stack exposes answers to a plain GET (the emulator's admin and state API among them).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from harness.resources import queue_contents
from harness.aws_clients import Clients
from harness.statemachine.executions import execution_history


def file_texts(root: Path) -> Iterator[tuple[str, str]]:
    yield from files_texts(sorted(root.rglob("*")))


def files_texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        if path.is_file():
            yield str(path), path.read_bytes().decode("utf-8", errors="replace")


def object_texts(clients: Clients, bucket: str) -> Iterator[tuple[str, str]]:
    # Every version: in a versioned bucket an overwritten object is still there to be read.
    for page in clients.s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            key, version_id = version["Key"], version["VersionId"]
            # An unversioned bucket lists each object once, as version "null".
            which = {"VersionId": version_id} if version_id != "null" else {}
            body = clients.s3.get_object(Bucket=bucket, Key=key, **which)["Body"].read()
            yield f"s3://{bucket}/{key} (version {version_id})", body.decode("utf-8", errors="replace")


def item_texts(clients: Clients, table: str) -> Iterator[tuple[str, str]]:
    key = [k["AttributeName"] for k in clients.dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]]
    for page in clients.dynamodb.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            named = ", ".join(str(next(iter(item.get(k, {}).values()), "")) for k in key)
            yield f"{table} item {named}", json.dumps(item)


def message_texts(clients: Clients, queue_urls: list[str]) -> Iterator[tuple[str, str]]:
    """Every message on queues without a redrive policy (dead-letter queues), read whole.

    A queue with a redrive policy is never received from here: each receive would count toward
    sending its live messages to the dead-letter queue. Wait for such queues to drain first.
    """
    for url in queue_urls:
        for message in queue_contents.read_all(clients.sqs, url, wait_seconds=1):
            yield f"{url} message {message['MessageId']}", json.dumps(message)


def execution_texts(clients: Clients, state_machine_arn: str) -> Iterator[tuple[str, str]]:
    sfn = clients.stepfunctions
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=state_machine_arn):
        for execution in page["executions"]:
            arn = execution["executionArn"]
            described: dict[str, Any] = sfn.describe_execution(executionArn=arn)
            history = execution_history(sfn, arn)
            yield f"execution {execution['name']}", json.dumps([described, history], default=str)


# What an AWS emulator this harness runs may serve to anyone who asks: moto's dashboard and its
# whole state. A stack that closes them answers 403, and that answer is read like any other.
EMULATOR_PATHS = ("/", "/moto-api/", "/moto-api/data.json")


def _answer(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except urllib.error.HTTPError as error:
        return str(error.read().decode("utf-8", errors="replace"))
    except OSError as exc:
        return f"(no answer: {type(exc).__name__})"


def endpoint_texts(endpoints: Mapping[str, str], paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """What each endpoint answers to a GET of each path, whatever the status."""
    paths = tuple(paths)
    for name, base in endpoints.items():
        for path in paths:
            yield f"{name} GET {path}", _answer(base.rstrip("/") + path)


def places_holding(secret: str, texts: Iterator[tuple[str, str]]) -> tuple[int, list[str]]:
    """How many places were read, and the names of those that contain the secret."""
    read, holding = 0, []
    for where, text in texts:
        read += 1
        if secret in text:
            holding.append(where)
    return read, holding
