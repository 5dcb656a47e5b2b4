"""Ingest: records a filing request in the catalogue (status RECEIVED) and archives it raw."""

from __future__ import annotations

import logging
from typing import Any

from workers import app, archive, aws
from workers.archive import Archive
from workers.catalogue import Catalogue
from workers.filing_request import parse_request

log = logging.getLogger("ingest")


def make_task() -> app.Task:
    catalogue = Catalogue(aws.required_env("FILINGS_TABLE_NAME"))
    store = Archive(aws.required_env("FILINGS_BUCKET_NAME"))

    def ingest(task_input: dict[str, Any]) -> dict[str, Any]:
        request = parse_request(task_input)
        key = archive.request_key(request.request_id)
        # The catalogue first, conditionally: only a request that owns its id is archived, so a
        # second message under a used id cannot overwrite the request kept in S3. Writing the
        # same request again (a redelivery) stores the same bytes.
        catalogue.record_request(request, key)
        store.put_json(key, request.as_dict())
        log.info("request %s received", request.request_id)
        return {"request_key": key}

    return ingest


def main() -> None:
    app.run_callback_app("ingest", "INGEST_QUEUE_NAME", make_task)


if __name__ == "__main__":
    main()
