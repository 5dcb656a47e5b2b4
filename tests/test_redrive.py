"""The operator's redrive command, against a real emulator: it redrives the request's own run from
the step that failed, keeps the first failure, counts redrives, and refuses what it should."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from harness.aws_clients import Clients
from tests.catalogue_fixtures import create_catalogue_table
from tests.run_fixtures import ended, failed_run, make_machine, pipeline_like, status_event
from workers.catalogue import Catalogue
from workers.recorder import make_handler as recorder
from workers.redrive import Redriver, RedriveRefused, client_token, main


@pytest.fixture
def setup(app_environment: Clients, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    # The redriven run holds 2 s before it ends, so a second command finds it still running.
    machine = make_machine(app_environment, pipeline_like(hold_seconds=2))
    table = create_catalogue_table(app_environment.dynamodb, f"filings-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("FILINGS_TABLE_NAME", table)
    monkeypatch.setenv("STATE_MACHINE_ARN", machine)
    return {"machine": machine, "catalogue": Catalogue(table), "clients": app_environment}


def failed_request(setup: dict[str, Any], status_before: str | None = "RECEIVED") -> tuple[str, str, Redriver]:
    """A request whose run failed at FetchFiling, recorded FAILED by the recorder as the stack would."""
    described = failed_run(setup["clients"], setup["machine"])
    request_id = described["name"]
    if status_before:
        setup["catalogue"].update(request_id, status=status_before, cik="789019")
    recorder()(status_event(described))
    redriver = Redriver(setup["catalogue"], setup["clients"].stepfunctions, setup["machine"])
    return request_id, described["executionArn"], redriver


def test_a_failed_request_is_taken_up_again_where_it_failed(setup: dict[str, Any]) -> None:
    request_id, arn, redriver = failed_request(setup)
    failure = {k: setup["catalogue"].get(request_id)[k] for k in ("failed_state", "error", "failure_cause", "failed_at")}
    assert redriver.redrive(request_id) == f"request {request_id}: sent through again (redrive 1), from FetchFiling"
    item = setup["catalogue"].get(request_id)
    assert (item["status"], item["redrives"], item["first_failure"]) == ("RECEIVED", 1, failure)
    assert not {"failed_state", "error", "failure_cause", "failed_at", "failed_from"} & set(item)
    run = ended(setup["clients"], arn, redrives=1)
    assert (run["status"], run["redriveCount"]) == ("SUCCEEDED", 1)
    # The step that failed ran again; the one before it did not.
    events = setup["clients"].stepfunctions.get_execution_history(executionArn=arn)["events"]
    redriven_at = next(i for i, e in enumerate(events) if e["type"] == "ExecutionRedriven")
    entered = [e["stateEnteredEventDetails"]["name"] for e in events[redriven_at:] if "stateEnteredEventDetails" in e]
    assert entered == ["FetchFiling", "Hold"]
    assert json.loads(run["output"]) == {"request_id": request_id, "cik": "789019", "form_type": "10-K", "count": 1,
                                         "ingested": True, "fetched": True}


def test_running_the_command_twice_redrives_once(setup: dict[str, Any]) -> None:
    request_id, arn, redriver = failed_request(setup)
    redriver.redrive(request_id)
    again = redriver.redrive(request_id)
    assert again == f"request {request_id}: already sent through again (redrive 1); its run is RUNNING"
    assert ended(setup["clients"], arn, redrives=1)["redriveCount"] == 1
    assert setup["catalogue"].get(request_id)["redrives"] == 1


def test_a_second_failure_keeps_the_first(setup: dict[str, Any]) -> None:
    request_id, arn, redriver = failed_request(setup)
    first = setup["catalogue"].get(request_id)
    redriver.redrive(request_id)
    ended(setup["clients"], arn, redrives=1)
    setup["catalogue"].record_failure(request_id, {"failed_state": "Hold", "error": "E", "failure_cause": "c",
                                                   "failed_at": "later"})
    item = setup["catalogue"].get(request_id)
    assert item["first_failure"]["failed_at"] == first["failed_at"] and item["failed_at"] == "later"
    assert item["failed_from"] == "RECEIVED"


def test_a_request_that_failed_before_it_was_recorded_goes_back_to_no_status(setup: dict[str, Any]) -> None:
    # Failed at ingesting it: the recorder made the item; ingest must take the request again.
    request_id, arn, redriver = failed_request(setup, status_before=None)
    redriver.redrive(request_id)
    item = setup["catalogue"].get(request_id)
    assert "status" not in item and item["redrives"] == 1


def test_a_redrive_counted_but_never_sent_is_finished_by_the_next_command(setup: dict[str, Any]) -> None:
    request_id, arn, redriver = failed_request(setup)
    item = setup["catalogue"].get(request_id)
    assert setup["catalogue"].start_redrive(item, 1)  # the command stopped right after this
    assert "finished now" in redriver.redrive(request_id)
    assert ended(setup["clients"], arn, redrives=1)["redriveCount"] == 1


@pytest.mark.parametrize("status", ["COMPLETE", "RECEIVED", "FETCHED"])
def test_a_request_that_did_not_fail_is_refused(setup: dict[str, Any], status: str) -> None:
    request_id, arn, redriver = failed_request(setup)
    setup["catalogue"].dynamodb.update_item(
        TableName=setup["catalogue"].table, Key={"request_id": {"S": request_id}},
        UpdateExpression="SET #s = :s", ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": status}})
    with pytest.raises(RedriveRefused, match=f"status is {status}, only a FAILED request is redriven"):
        redriver.redrive(request_id)
    assert setup["clients"].stepfunctions.describe_execution(executionArn=arn)["redriveCount"] == 0


def test_a_run_step_functions_will_not_redrive_is_refused_and_the_item_left_failed(setup: dict[str, Any]) -> None:
    request_id, arn, redriver = failed_request(setup)
    redriver.redrive(request_id)
    ended(setup["clients"], arn, redrives=1)  # SUCCEEDED now
    setup["catalogue"].update(request_id, status="FAILED", failed_at="x")  # a catalogue out of step with its run
    before = setup["catalogue"].get(request_id)
    with pytest.raises(RedriveRefused, match="Step Functions will not redrive its run: Execution is SUCCEEDED"):
        redriver.redrive(request_id)
    assert setup["catalogue"].get(request_id) == before


def test_unknown_requests_are_refused_by_name_and_the_exit_status_says_so(
        setup: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    request_id, arn, redriver = failed_request(setup)
    setup["catalogue"].update("req-no-run", status="FAILED")
    assert main(["req-nobody", "req-no-run", request_id]) == 2
    out, err = capsys.readouterr()
    assert "request req-nobody: not in the catalogue" in err
    assert "request req-no-run: the pipeline has no run of it" in err
    assert f"request {request_id}: sent through again (redrive 1)" in out


def test_the_client_token_is_one_per_redrive_of_a_run() -> None:
    arn = "arn:aws:states:us-east-1:123456789012:execution:m:" + "r" * 80
    tokens = {client_token(arn, 1), client_token(arn, 2), client_token(arn + "x", 1)}
    assert len(tokens) == 3 and all(1 <= len(t) <= 64 for t in tokens)
    assert client_token(arn, 1) == client_token(arn, 1)
