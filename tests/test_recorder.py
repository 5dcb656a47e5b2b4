"""The recorder app, against a real emulator: what it records of a failed run, and what it refuses."""

from __future__ import annotations

import json
import uuid

import pytest

from harness.aws_clients import Clients
from tests.catalogue_fixtures import create_catalogue_table
from tests.run_fixtures import UNAVAILABLE, ended, failed_run, make_machine, pipeline_like, status_event
from workers.catalogue import Catalogue
from workers.queue_loop import Rejected
from workers.recorder import make_handler
from workers.run_failure import read_failure


@pytest.fixture
def machine(app_environment: Clients, monkeypatch: pytest.MonkeyPatch) -> str:
    arn = make_machine(app_environment, pipeline_like())
    table = create_catalogue_table(app_environment.dynamodb, f"filings-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("FILINGS_TABLE_NAME", table)
    monkeypatch.setenv("STATE_MACHINE_ARN", arn)
    return arn


def catalogue() -> Catalogue:
    import os

    return Catalogue(os.environ["FILINGS_TABLE_NAME"])


@pytest.mark.parametrize("status", ["RECEIVED", "FETCHED", None])
def test_a_request_in_flight_is_recorded_failed_where_and_why(app_environment: Clients, machine: str,
                                                              status: str | None) -> None:
    described = failed_run(app_environment, machine)
    request_id = described["name"]
    if status:
        catalogue().update(request_id, status=status)
    make_handler()(status_event(described))
    item = catalogue().get(request_id)
    assert {k: item.get(k) for k in ("status", "failed_state", "error", "failure_cause", "failed_from")} == {
        "status": "FAILED", "failed_state": "FetchFiling", "error": "States.QueryEvaluationError",
        "failure_cause": described["cause"], "failed_from": status}
    assert UNAVAILABLE in item["failure_cause"]
    assert item["failed_at"] == described["stopDate"].isoformat(timespec="milliseconds")


@pytest.mark.parametrize("status", ["COMPLETE", "FAILED"])
def test_a_request_no_longer_in_flight_is_left_as_it_was(app_environment: Clients, machine: str, status: str) -> None:
    described = failed_run(app_environment, machine)
    catalogue().update(described["name"], status=status, failed_state="Validate")
    before = catalogue().get(described["name"])
    make_handler()(status_event(described))
    assert catalogue().get(described["name"]) == before


def test_the_same_event_twice_records_once(app_environment: Clients, machine: str) -> None:
    described = failed_run(app_environment, machine)
    handle = make_handler()
    handle(status_event(described))
    first = catalogue().get(described["name"])
    handle(status_event(described))
    assert catalogue().get(described["name"]) == first
    assert catalogue().record_failure(described["name"], read_failure(app_environment.stepfunctions, described).as_fields()) \
        == "already recorded"


def test_a_run_not_named_after_its_request_records_nothing(app_environment: Clients, machine: str) -> None:
    # A second run started under another name for a request: only the request's own run counts.
    described = failed_run(app_environment, machine, request_id="req-owned", name=f"other-{uuid.uuid4().hex[:6]}")
    catalogue().update("req-owned", status="RECEIVED")
    make_handler()(status_event(described))
    assert catalogue().get("req-owned")["status"] == "RECEIVED"


def test_a_run_redriven_since_has_nothing_to_record(app_environment: Clients, machine: str) -> None:
    described = failed_run(app_environment, machine)
    catalogue().update(described["name"], status="RECEIVED")
    app_environment.stepfunctions.redrive_execution(executionArn=described["executionArn"])
    assert ended(app_environment, described["executionArn"], redrives=1)["status"] == "SUCCEEDED"
    make_handler()(status_event(described))  # the old FAILED event, delivered late
    assert catalogue().get(described["name"])["status"] == "RECEIVED"


@pytest.mark.parametrize("body,reason", [
    ("not json", "not JSON"),
    (json.dumps({"detail": {}}), "names no executionArn"),
    (json.dumps(["a list"]), "names no executionArn"),
])
def test_a_message_that_is_no_status_change_event_is_set_aside(machine: str, body: str, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        make_handler()({"Body": body})


def test_a_run_of_another_state_machine_is_set_aside(app_environment: Clients, machine: str) -> None:
    other = make_machine(app_environment, pipeline_like())
    described = failed_run(app_environment, other)
    with pytest.raises(Rejected, match="is not a run of the pipeline's state machine"):
        make_handler()(status_event(described))
    lookalike = machine.replace(":stateMachine:", ":execution:") + "x:req-1"
    with pytest.raises(Rejected, match="is not a run of the pipeline's state machine"):
        make_handler()(status_event({"executionArn": lookalike, "status": "FAILED", "name": "req-1"}))


def test_a_run_that_timed_out_without_a_cause_is_named_for_it(app_environment: Clients, machine: str) -> None:
    slow = make_machine(app_environment, {"TimeoutSeconds": 1, "StartAt": "Ingest", "States": {
        "Ingest": {"Type": "Pass", "Next": "Validate"},
        "Validate": {"Type": "Wait", "Seconds": 30, "End": True}}})
    sfn = app_environment.stepfunctions
    started = sfn.start_execution(stateMachineArn=slow, name="req-slow", input=json.dumps({"request_id": "req-slow"}))
    described = ended(app_environment, started["executionArn"])
    assert described["status"] == "TIMED_OUT"
    failure = read_failure(sfn, described)
    assert (failure.failed_state, failure.error) == ("Validate", described.get("error") or "States.Timeout")
    assert failure.cause == described.get("cause", "the run took longer than the state machine allows")
