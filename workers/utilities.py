"""Utilities: fetches the requested filings from the SEC API and archives each one.

The API key is read from Secrets Manager for every task, so a rotated key is picked up without
a restart; it is masked in the app's logs from the moment it is read.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from workers import app, archive, aws, logs, settings
from workers.archive import Archive
from workers.callback import ReadThenWrite
from workers.catalogue import Catalogue, now
from workers.filing_request import parse_request
from workers.sec_client import SecApiClient, SecUnauthorized

log = logging.getLogger("utilities")


def make_task() -> app.Task:
    catalogue = Catalogue(aws.required_env("FILINGS_TABLE_NAME"))
    store = Archive(aws.required_env("FILINGS_BUCKET_NAME"))
    secret_name = aws.required_env("SEC_API_KEY_SECRET_NAME")
    base_url = aws.required_env("SEC_API_BASE_URL")
    backoff = settings.seconds("SEC_API_BACKOFF_SECONDS", 0.5)
    # Each call to the SEC API ends within this; the stacks scale it with TIME_SCALE.
    timeout = settings.seconds("SEC_API_TIMEOUT_SECONDS", 20.0)
    secrets = aws.client("secretsmanager")

    def api_key() -> str:
        key = secrets.get_secret_value(SecretId=secret_name)["SecretString"]
        if len(key) < logs.MIN_SECRET_LENGTH:
            # Too short to keep out of the logs: not used, and never written.
            raise SecUnauthorized(
                f"the SEC API key in {secret_name} is {len(key)} characters; "
                f"a key shorter than {logs.MIN_SECRET_LENGTH} is not used"
            )
        logs.mask_secret(key)
        return key

    # The catalogue's guard is written while the SEC API answers: one thread, kept between tasks.
    beside_the_query = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guard")

    def fetch(task_input: dict[str, Any], key_now: str) -> dict[str, Any]:
        request = parse_request(task_input)
        # Only while the request waits for its filings is anything archived (a late task
        # archives nothing): a conditional write, made while the SEC API answers, since neither
        # waits for the other. Nothing is archived before both are done, and only an answer
        # whose every accession number, count and size passed (the client checked).
        guard = beside_the_query.submit(
            catalogue.update, request.request_id, after=("RECEIVED", "FETCHED"), fetch_started_at=now()
        )
        try:
            # A client per task, for the key of the moment; closed, so no connection pool is left behind.
            with SecApiClient(base_url, key_now, backoff_factor=backoff, timeout=timeout) as client:
                found = client.latest_filings(request.cik, request.form_type, size=request.count)
        finally:
            # The query's failure, if any, is the task's; the guard is waited for either way, so
            # no write of this task is still on its way when the task has ended.
            wait([guard])
        guard.result()
        filings = []
        for filing in found:
            key = archive.filing_key(request.request_id, filing["accessionNo"])
            filings.append(
                {"accession_no": filing["accessionNo"], "s3_key": key, "sha256": store.put_json(key, filing)}
            )
        catalogue.update(
            request.request_id, after=("RECEIVED", "FETCHED"), status="FETCHED", filings=filings, fetched_at=now()
        )
        log.info("request %s: %d filing(s) archived", request.request_id, len(filings))
        return {"filings": filings}

    def read_key(task_input: dict[str, Any]) -> str:
        # The request is checked first: a task whose input is wrong fails with the input's error,
        # whatever the key, and no secret is read for it.
        parse_request(task_input)
        return api_key()

    # The key is read while the app asks whether the task is still wanted (workers/callback.py).
    return ReadThenWrite(read_key, fetch)


def main() -> None:
    app.run_callback_app("utilities", "UTILITIES_QUEUE_NAME", make_task)


if __name__ == "__main__":
    main()
