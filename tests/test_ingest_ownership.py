"""Ingest, against a real emulator: a request is archived only when it owns its id."""

from __future__ import annotations

import json
import uuid

import pytest

from harness.aws_clients import Clients
from workers import ingest
from workers.archive import Archive, request_key
from workers.catalogue import Catalogue
from workers.errors import StaleTask
from workers.filing_request import parse_request
from tests.catalogue_fixtures import create_catalogue_table

REQUEST = {"request_id": "req-owned", "cik": "320193", "form_type": "10-K", "count": 1}
FORGED = {**REQUEST, "cik": "1318605"}


@pytest.fixture
def stores(app_environment: Clients, monkeypatch: pytest.MonkeyPatch) -> tuple[Catalogue, Archive]:
    suffix = uuid.uuid4().hex[:8]
    table, bucket = f"filings-{suffix}", f"filings-{suffix}"
    create_catalogue_table(app_environment.dynamodb, table)
    app_environment.s3.create_bucket(Bucket=bucket)
    monkeypatch.setenv("FILINGS_TABLE_NAME", table)
    monkeypatch.setenv("FILINGS_BUCKET_NAME", bucket)
    return Catalogue(table), Archive(bucket)


def archived(store: Archive) -> dict | None:
    body = store.get(request_key(REQUEST["request_id"]))
    return json.loads(body) if body is not None else None


def test_a_new_request_is_catalogued_received_and_archived(stores: tuple[Catalogue, Archive]) -> None:
    catalogue, store = stores
    assert ingest.make_task()(REQUEST) == {"request_key": request_key(REQUEST["request_id"])}
    assert catalogue.get(REQUEST["request_id"])["status"] == "RECEIVED"
    assert archived(store) == REQUEST


def test_the_same_request_again_is_accepted_and_stores_the_same_request(stores: tuple[Catalogue, Archive]) -> None:
    catalogue, store = stores
    task = ingest.make_task()
    task(REQUEST)
    task(REQUEST)
    assert catalogue.get(REQUEST["request_id"])["status"] == "RECEIVED"
    assert archived(store) == REQUEST


@pytest.mark.parametrize("status", ["RECEIVED", "FETCHED", "COMPLETE", "FAILED"])
def test_another_request_under_a_used_id_changes_nothing(stores: tuple[Catalogue, Archive], status: str) -> None:
    catalogue, store = stores
    task = ingest.make_task()
    task(REQUEST)
    catalogue.update(REQUEST["request_id"], status=status)
    before = catalogue.get(REQUEST["request_id"])
    with pytest.raises(StaleTask):
        task(FORGED)
    assert catalogue.get(REQUEST["request_id"]) == before
    assert archived(store) == REQUEST


@pytest.mark.parametrize("status", ["FETCHED", "COMPLETE", "FAILED"])
def test_the_same_request_after_it_moved_on_changes_nothing(stores: tuple[Catalogue, Archive], status: str) -> None:
    catalogue, store = stores
    task = ingest.make_task()
    task(REQUEST)
    catalogue.update(REQUEST["request_id"], status=status)
    before = catalogue.get(REQUEST["request_id"])
    with pytest.raises(StaleTask):
        task(REQUEST)
    assert catalogue.get(REQUEST["request_id"]) == before


def test_a_request_sent_through_again_from_ingesting_it_is_received(stores: tuple[Catalogue, Archive]) -> None:
    # It failed before ingest recorded it; the redrive took its status off (workers/redrive.py).
    catalogue, store = stores
    catalogue.update(REQUEST["request_id"], redrives=1, first_failure={"failed_state": "Ingest"})
    ingest.make_task()(REQUEST)
    item = catalogue.get(REQUEST["request_id"])
    assert (item["status"], item["redrives"], item["cik"]) == ("RECEIVED", 1, REQUEST["cik"])
    assert archived(store) == parse_request(REQUEST).as_dict()


def test_a_forged_request_under_a_used_id_is_never_archived_first(stores: tuple[Catalogue, Archive]) -> None:
    """A COMPLETE request's archived copy is not overwritten even for an instant."""
    catalogue, store = stores
    task = ingest.make_task()
    task(REQUEST)
    catalogue.update(REQUEST["request_id"], status="COMPLETE")
    store.s3.delete_object(Bucket=store.bucket, Key=request_key(REQUEST["request_id"]))
    with pytest.raises(StaleTask):
        task(FORGED)
    assert archived(store) is None
