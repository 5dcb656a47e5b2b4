"""The utilities app against the real stand-in and a real emulator: an answer it cannot trust
fails the task by name, and nothing of it is archived or catalogued."""

from __future__ import annotations

import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
import requests

from harness.aws_clients import Clients
from harness.waiting import DeadlineExceeded, wait_until
from workers import utilities
from workers.catalogue import Catalogue
from workers.errors import InvalidRequest, StaleTask
from workers.sec_client import SecInvalidAnswer, SecUnauthorized
from tests.catalogue_fixtures import create_catalogue_table
from tests.http_fixtures import serving

REQUEST = {"request_id": "req-hostile", "cik": "320193", "form_type": "10-K", "count": 1}


@pytest.fixture
def stores(
    app_environment: Clients, monkeypatch: pytest.MonkeyPatch, sec_standin_url: str, sec_api_key: str
) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:8]
    names = {"table": f"filings-{suffix}", "bucket": f"filings-{suffix}", "secret": f"sec-key-{suffix}"}
    create_catalogue_table(app_environment.dynamodb, names["table"])
    app_environment.s3.create_bucket(Bucket=names["bucket"])
    app_environment.client("secretsmanager").create_secret(Name=names["secret"], SecretString=sec_api_key)
    for variable, value in {
        "FILINGS_TABLE_NAME": names["table"], "FILINGS_BUCKET_NAME": names["bucket"],
        "SEC_API_KEY_SECRET_NAME": names["secret"], "SEC_API_BASE_URL": sec_standin_url,
        "SEC_API_BACKOFF_SECONDS": "0.01", "SEC_API_TIMEOUT_SECONDS": "5",
    }.items():
        monkeypatch.setenv(variable, value)
    Catalogue(names["table"]).update(REQUEST["request_id"], status="RECEIVED")
    return names


def archived_keys(clients: Clients, bucket: str) -> list[str]:
    return [o["Key"] for o in clients.s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def add_fault(url: str, **spec: Any) -> None:
    requests.post(f"{url}/_standin/faults", json=spec, timeout=5).raise_for_status()


def test_a_trusted_answer_is_archived_and_catalogued(app_environment: Clients, stores: dict[str, str]) -> None:
    [filing] = utilities.make_task()(REQUEST)["filings"]
    assert archived_keys(app_environment, stores["bucket"]) == [filing["s3_key"]]
    assert Catalogue(stores["table"]).get(REQUEST["request_id"])["status"] == "FETCHED"


@pytest.mark.parametrize("answer", ["accession-path", "accession-object", "no-accession", "too-many", "oversized"])
def test_an_answer_that_cannot_be_trusted_archives_nothing(
    app_environment: Clients, stores: dict[str, str], sec_standin_url: str, answer: str
) -> None:
    add_fault(sec_standin_url, answer=answer, times=1, cik=REQUEST["cik"])
    with pytest.raises(SecInvalidAnswer):
        utilities.make_task()(REQUEST)
    assert archived_keys(app_environment, stores["bucket"]) == []
    assert Catalogue(stores["table"]).get(REQUEST["request_id"])["status"] == "RECEIVED"


@pytest.mark.parametrize("status", ["COMPLETE", "FAILED"])
def test_a_late_fetch_archives_nothing(app_environment: Clients, stores: dict[str, str], status: str) -> None:
    Catalogue(stores["table"]).update(REQUEST["request_id"], status=status)
    with pytest.raises(StaleTask):
        utilities.make_task()(REQUEST)
    assert archived_keys(app_environment, stores["bucket"]) == []


def test_a_key_too_short_to_keep_out_of_the_logs_is_not_used(
    app_environment: Clients, stores: dict[str, str], sec_standin_url: str
) -> None:
    app_environment.client("secretsmanager").put_secret_value(SecretId=stores["secret"], SecretString="x")
    before = requests.get(f"{sec_standin_url}/_standin/stats", timeout=5).json()["total"]
    with pytest.raises(SecUnauthorized, match="is 1 characters; a key shorter than 16 is not used"):
        utilities.make_task()(REQUEST)
    assert requests.get(f"{sec_standin_url}/_standin/stats", timeout=5).json()["total"] == before


def test_the_catalogue_guard_is_written_while_the_sec_api_answers(
    app_environment: Clients, stores: dict[str, str], sec_standin_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An SEC API that answers (the stand-in's answer) only once the request's item records that
    # its fetch started: the app must not wait for the answer before it writes that guard.
    catalogue = Catalogue(stores["table"])
    guarded_before_the_answer: list[bool] = []

    def guarded() -> bool:
        return "fetch_started_at" in (catalogue.get(REQUEST["request_id"]) or {})

    class AnswersOnceGuarded(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            try:
                guarded_before_the_answer.append(wait_until(guarded, timeout=2, awaited="the guard", interval=0.01))
            except DeadlineExceeded:
                guarded_before_the_answer.append(False)
            answer = requests.post(sec_standin_url, data=body, headers=dict(self.headers), timeout=5)
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(AnswersOnceGuarded) as url:
        monkeypatch.setenv("SEC_API_BASE_URL", url)
        [filing] = utilities.make_task()(REQUEST)["filings"]
    assert guarded_before_the_answer == [True], "the guard was written only after the SEC API answered"
    assert archived_keys(app_environment, stores["bucket"]) == [filing["s3_key"]]


def test_a_wrong_request_fails_with_its_own_error_whatever_the_key(
    app_environment: Clients, stores: dict[str, str]
) -> None:
    # Both wrong: the task's input (no CIK) and the stored key (too short to be used). The
    # request's error names what to fix in the request; the key's would send the reader to the
    # secret for a task that could never have run.
    app_environment.client("secretsmanager").put_secret_value(SecretId=stores["secret"], SecretString="x")
    with pytest.raises(InvalidRequest, match="cik"):
        utilities.make_task()({"request_id": "req-wrong", "form_type": "10-K"})
