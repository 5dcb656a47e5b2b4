"""Validator: the archive and the catalogue must agree before a request is complete.

Every object the catalogue names must exist in S3, hash to the sha256 the catalogue recorded,
and belong to the requested company. Any difference fails the task with Validation.Mismatch
and a cause that lists each problem.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from workers import app, aws
from workers.archive import Archive, sha256
from workers.callback import ReadThenWrite
from workers.catalogue import Catalogue, now
from workers.errors import ValidationMismatch
from workers.filing_request import parse_request

log = logging.getLogger("validator")


def problems_with(entry: dict[str, Any], body: bytes | None, cik: str) -> list[str]:
    key = entry["s3_key"]
    if body is None:
        return [f"{key} is catalogued but missing from the archive"]
    found = sha256(body)
    if found != entry["sha256"]:
        return [f"{key} has sha256 {found[:12]}…, the catalogue records {entry['sha256'][:12]}…"]
    try:
        owner = str(json.loads(body).get("cik"))
    except (ValueError, AttributeError):
        return [f"{key} is not a JSON filing"]
    if owner != cik:
        return [f"{key} belongs to CIK {owner}, not to the requested CIK {cik}"]
    return []


def make_task() -> app.Task:
    catalogue = Catalogue(aws.required_env("FILINGS_TABLE_NAME"))
    store = Archive(aws.required_env("FILINGS_BUCKET_NAME"))

    def read(task_input: dict[str, Any]) -> tuple[dict[str, Any] | None, list[bytes | None]]:
        """The catalogue's item and the archive's copy of each filing it names: reads only."""
        item = catalogue.get(parse_request(task_input).request_id)
        return item, [store.get(entry["s3_key"]) for entry in (item or {}).get("filings", [])]

    def validate(task_input: dict[str, Any], found: tuple[dict[str, Any] | None, list[bytes | None]]) -> dict[str, Any]:
        request = parse_request(task_input)
        item, bodies = found
        if item is None:
            raise ValidationMismatch(f"request {request.request_id} is not in the catalogue")
        entries = item.get("filings", [])
        if not entries:
            raise ValidationMismatch(f"request {request.request_id} catalogues no filings")
        problems = [p for e, body in zip(entries, bodies) for p in problems_with(e, body, request.cik)]
        if problems:
            raise ValidationMismatch("; ".join(problems))
        catalogue.update(
            request.request_id, after=("FETCHED", "COMPLETE"), status="COMPLETE", validated_at=now()
        )
        log.info("request %s complete: %d filing(s) agree", request.request_id, len(entries))
        return {"validated": len(entries)}

    # The reads run while the app asks whether the task is still wanted (workers/callback.py).
    return ReadThenWrite(read, validate)


def main() -> None:
    app.run_callback_app("validator", "VALIDATOR_QUEUE_NAME", make_task)


if __name__ == "__main__":
    main()
