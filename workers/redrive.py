"""Operator command: send failed filing requests through the pipeline again.

    python -m workers.redrive REQUEST_ID [REQUEST_ID ...]

Reads the same environment as the apps (the table, the bucket, the request queue, the AWS
endpoint if any). For each request whose catalogue item is FAILED it takes the request kept in
the archive, marks the item REDRIVING (moving the failure's facts to ``last_failure``) and puts
the request back on the request queue; the dispatcher, reading REDRIVING and the count from the
catalogue, starts a new execution named ``<request id>-redrive-<n>``.

Why a new execution and not Step Functions' RedriveExecution: the definition catches every
failure and ends in its Fail state, and a redrive resumes from the failed state, which would
only fail again. A request that is REDRIVING already is sent again with the same number, which
starts nothing twice; any other status is refused with the reason. Exit status 2 if any request
was refused.
"""

from __future__ import annotations

import argparse
import json
import sys

from workers import aws
from workers.archive import Archive
from workers.catalogue import Catalogue
from workers.execution_names import execution_name
from workers.errors import InvalidRequest
from workers.filing_request import parse_request


class RedriveRefused(Exception):
    """The request cannot be redriven; the message says why in an operator's words."""


class Redriver:
    def __init__(self, catalogue: Catalogue, archive: Archive, queue_url: str) -> None:
        self.catalogue = catalogue
        self.archive = archive
        self.queue_url = queue_url
        self.sqs = aws.client("sqs")

    def redrive(self, request_id: str) -> str:
        """Send the request again; return the name of the execution it will start."""
        item = self.catalogue.get(request_id)
        if item is None:
            raise RedriveRefused(f"request {request_id}: not in the catalogue, nothing to redrive")
        status = item.get("status")
        if status == "FAILED":
            attempt = int(item.get("redrives", 0)) + 1
            if not self.catalogue.start_redrive(item, attempt):
                raise RedriveRefused(f"request {request_id}: its status changed while redriving; look again")
        elif status == "REDRIVING":
            attempt = int(item["redrives"])  # sent before, maybe lost: the same number again
        else:
            raise RedriveRefused(f"request {request_id}: status is {status}, only a FAILED request is redriven")
        body = self.archive.get(item.get("request_key", ""))
        if body is None:
            raise RedriveRefused(f"request {request_id}: the kept request {item.get('request_key')!r} is missing")
        try:
            request = parse_request(json.loads(body))
        except (ValueError, InvalidRequest) as exc:
            raise RedriveRefused(f"request {request_id}: the kept request is not a valid request: {exc}") from None
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=request.to_json())
        return execution_name(request_id, attempt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers.redrive", description=__doc__.splitlines()[0])
    parser.add_argument("request_ids", nargs="+", metavar="REQUEST_ID")
    args = parser.parse_args(argv)
    sqs = aws.client("sqs")
    redriver = Redriver(
        Catalogue(aws.required_env("FILINGS_TABLE_NAME")),
        Archive(aws.required_env("FILINGS_BUCKET_NAME")),
        sqs.get_queue_url(QueueName=aws.required_env("REQUEST_QUEUE_NAME"))["QueueUrl"],
    )
    refused = 0
    for request_id in args.request_ids:
        try:
            name = redriver.redrive(request_id)
        except RedriveRefused as exc:
            print(f"refused: {exc}", file=sys.stderr)
            refused += 1
            continue
        print(f"request {request_id}: sent again; it will run as execution {name}")
    return 2 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
