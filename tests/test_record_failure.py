"""The definition's RecordFailure state, run on the emulator: it records a failure only on a
request in flight, and the execution fails with the original error either way."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.catalogue_fixtures import create_catalogue_table
from tests.engine_fixtures import client, run

DEFINITION = Path(__file__).resolve().parent.parent / "test-definition.json"
FAILURE = {"Error": "Sec.NotFound", "Cause": "no 10-K filings for CIK 9999999999"}


def failure_tail(table: str) -> dict[str, Any]:
    """RecordFailure and Failed as the definition has them, entered with a caught failure."""
    states = json.loads(DEFINITION.read_text().replace("${FilingsTableName}", table))["States"]
    return {
        "StartAt": "FetchFilingFailed",
        "States": {
            "FetchFilingFailed": states["FetchFilingFailed"],
            "RecordFailure": states["RecordFailure"],
            "Failed": states["Failed"],
        },
    }


@pytest.fixture
def table(endpoint: str) -> str:
    name = f"filings-{uuid.uuid4().hex[:8]}"
    create_catalogue_table(client(endpoint, "dynamodb"), name)
    return name


def item(endpoint: str, table: str, request_id: str) -> dict[str, Any]:
    found = client(endpoint, "dynamodb").get_item(TableName=table, Key={"request_id": {"S": request_id}})
    return {name: value["S"] for name, value in found.get("Item", {}).items()}


def put(endpoint: str, table: str, request_id: str, status: str) -> None:
    client(endpoint, "dynamodb").put_item(
        TableName=table, Item={"request_id": {"S": request_id}, "status": {"S": status}}
    )


@pytest.mark.parametrize("status", ["RECEIVED", "FETCHED", "REDRIVING", None])
def test_a_request_in_flight_is_recorded_failed(sfn: Any, endpoint: str, table: str, status: str | None) -> None:
    if status is not None:
        put(endpoint, table, "req-1", status)
    ended = run(sfn, failure_tail(table), {"request_id": "req-1", "failure": FAILURE})
    assert (ended["status"], ended.get("error")) == ("FAILED", "Sec.NotFound")
    recorded = item(endpoint, table, "req-1")
    assert (recorded["status"], recorded["error"], recorded["failed_state"]) == ("FAILED", "Sec.NotFound", "FetchFiling")


@pytest.mark.parametrize("status", ["COMPLETE", "FAILED"])
def test_a_request_that_ended_is_left_as_it_is_and_the_execution_fails_with_the_original_error(
    sfn: Any, endpoint: str, table: str, status: str
) -> None:
    put(endpoint, table, "req-2", status)
    ended = run(sfn, failure_tail(table), {"request_id": "req-2", "failure": FAILURE})
    assert (ended["status"], ended.get("error"), ended.get("cause")) == ("FAILED", FAILURE["Error"], FAILURE["Cause"])
    assert item(endpoint, table, "req-2") == {"request_id": "req-2", "status": status}
