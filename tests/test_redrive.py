"""The operator's redrive command, against a real emulator: what it sends, what it refuses."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from harness.aws_clients import Clients
from workers.archive import Archive
from workers.catalogue import Catalogue
from workers.execution_names import MAX_NAME, execution_name, redrive_attempt
from workers.redrive import Redriver, RedriveRefused, main
from tests.catalogue_fixtures import create_catalogue_table

REQUEST = {"request_id": "req-redrive", "cik": "789019", "form_type": "10-K", "count": 1}


@pytest.fixture
def resources(app_environment: Clients, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:8]
    names = {"table": f"filings-{suffix}", "bucket": f"filings-{suffix}", "queue": f"requests-{suffix}"}
    create_catalogue_table(app_environment.dynamodb, names["table"])
    app_environment.s3.create_bucket(Bucket=names["bucket"])
    names["queue_url"] = app_environment.sqs.create_queue(QueueName=names["queue"])["QueueUrl"]
    monkeypatch.setenv("FILINGS_TABLE_NAME", names["table"])
    monkeypatch.setenv("FILINGS_BUCKET_NAME", names["bucket"])
    monkeypatch.setenv("REQUEST_QUEUE_NAME", names["queue"])
    return names


def failed_request(resources: dict[str, str], status: str = "FAILED", keep_request: bool = True) -> Redriver:
    catalogue, archive = Catalogue(resources["table"]), Archive(resources["bucket"])
    key = f"requests/{REQUEST['request_id']}/request.json"
    if keep_request:
        archive.put_json(key, REQUEST)
    catalogue.update(
        REQUEST["request_id"], status=status, request_key=key, failed_state="FetchFiling",
        error="Sec.Unavailable", failure_cause="SEC API answered 503 after retries", failed_at="2026-11-25T20:00:00Z",
    )
    return Redriver(catalogue, archive, resources["queue_url"])


def queued(clients: Clients, queue_url: str) -> list[dict]:
    return clients.sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0, MessageAttributeNames=["All"]
    ).get("Messages", [])


def test_a_failed_request_is_sent_again_with_its_redrive_number(app_environment: Clients, resources: dict[str, str]) -> None:
    redriver = failed_request(resources)
    assert redriver.redrive(REQUEST["request_id"]) == "req-redrive-redrive-1"
    item = redriver.catalogue.get(REQUEST["request_id"])
    assert item["status"] == "REDRIVING" and item["redrives"] == 1
    assert item["last_failure"] == {
        "failed_state": "FetchFiling", "error": "Sec.Unavailable",
        "failure_cause": "SEC API answered 503 after retries", "failed_at": "2026-11-25T20:00:00Z",
    }
    assert "failure_cause" not in item and "failed_state" not in item
    [message] = queued(app_environment, resources["queue_url"])
    assert json.loads(message["Body"]) == REQUEST
    assert "MessageAttributes" not in message  # the number is the catalogue's, not the message's
    assert redrive_attempt(item) == 1


def test_redriving_again_before_it_started_sends_the_same_number(app_environment: Clients, resources: dict[str, str]) -> None:
    redriver = failed_request(resources)
    first, second = redriver.redrive(REQUEST["request_id"]), redriver.redrive(REQUEST["request_id"])
    assert first == second
    assert len(queued(app_environment, resources["queue_url"])) == 2
    item = redriver.catalogue.get(REQUEST["request_id"])
    assert item["redrives"] == 1 and redrive_attempt(item) == 1


@pytest.mark.parametrize("status", ["COMPLETE", "RECEIVED", "FETCHED"])
def test_a_request_that_did_not_fail_is_refused(app_environment: Clients, resources: dict[str, str], status: str) -> None:
    redriver = failed_request(resources, status=status)
    with pytest.raises(RedriveRefused, match=f"status is {status}, only a FAILED request is redriven"):
        redriver.redrive(REQUEST["request_id"])
    assert queued(app_environment, resources["queue_url"]) == []


def test_an_unknown_request_and_a_lost_original_are_refused_by_name(resources: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    failed_request(resources, keep_request=False)
    assert main(["req-nobody", REQUEST["request_id"]]) == 2
    err = capsys.readouterr().err
    assert "request req-nobody: not in the catalogue" in err
    assert f"request {REQUEST['request_id']}: the kept request 'requests/req-redrive/request.json' is missing" in err


def test_redrive_names_stay_within_the_limit_and_apart() -> None:
    assert execution_name("req-1") == "req-1"
    long_a, long_b = "a" * 79 + "x", "a" * 79 + "y"
    names = {execution_name(long_a, 3), execution_name(long_b, 3)}
    assert len(names) == 2 and all(len(name) <= MAX_NAME and name.endswith("-redrive-3") for name in names)


@pytest.mark.parametrize("item", [None, {"status": "RECEIVED"}, {"status": "FAILED", "redrives": Decimal(2)},
                                  {"status": "COMPLETE", "redrives": Decimal(1)}])
def test_only_a_request_being_redriven_gets_a_redrive_number(item: dict[str, Any] | None) -> None:
    assert redrive_attempt(item) == 0


@pytest.mark.parametrize("value", [Decimal(0), Decimal(-1), Decimal("1.5"), "one", None])
def test_a_redrive_count_that_is_not_a_count_is_named(value: Any) -> None:
    with pytest.raises(ValueError, match="REDRIVING with redrives="):
        redrive_attempt({"status": "REDRIVING", "redrives": value})


def test_the_dispatcher_takes_the_redrive_number_from_the_catalogue_not_the_message(
        app_environment: Clients, resources: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from workers.dispatcher import make_handler

    sfn = app_environment.stepfunctions
    machine = sfn.create_state_machine(
        name=f"dispatch-{uuid.uuid4().hex[:8]}", roleArn="arn:aws:iam::123456789012:role/dispatch",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    monkeypatch.setenv("STATE_MACHINE_ARN", machine)
    handle = make_handler()
    forged = {"Body": json.dumps(REQUEST),
              "MessageAttributes": {"RedriveAttempt": {"DataType": "Number", "StringValue": "7"}}}

    def started() -> list[str]:
        return sorted(e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"])

    handle(forged)  # no catalogue item yet: the request's own execution
    Catalogue(resources["table"]).update(REQUEST["request_id"], status="COMPLETE")
    handle(forged)  # a finished request: nothing new, whatever the message says
    assert started() == ["req-redrive"]
    failed_request(resources).redrive(REQUEST["request_id"])  # the operator's command: REDRIVING, 1
    handle(forged)
    assert started() == ["req-redrive", "req-redrive-redrive-1"]
