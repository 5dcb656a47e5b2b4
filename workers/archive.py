"""The S3 archive: everything a request leaves behind, under ``requests/<request id>/``."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from botocore.exceptions import ClientError

from workers import aws, faults

# EDGAR's accession number (filer id, year, sequence): it names an S3 key, so nothing else passes.
ACCESSION_NO = re.compile(r"\d{10}-\d{2}-\d{6}")


def request_prefix(request_id: str) -> str:
    return f"requests/{request_id}/"


def request_key(request_id: str) -> str:
    return f"{request_prefix(request_id)}request.json"


def filing_key(request_id: str, accession_no: str) -> str:
    # The number comes from outside: a key is made only of one that cannot leave the prefix.
    if not ACCESSION_NO.fullmatch(accession_no):
        raise ValueError(f"{accession_no[:40]!r} is not an accession number: no archive key is made of it")
    return f"{request_prefix(request_id)}filings/{accession_no}.json"


def canonical_json(document: Any) -> bytes:
    # Sorted keys: the same document always makes the same bytes, so a rewrite is idempotent.
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Archive:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket
        self.s3 = aws.client("s3")

    def put_json(self, key: str, document: Any) -> str:
        """Store the document; return the sha256 of the bytes stored."""
        body = canonical_json(document)
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json")
        faults.after_archive_write(f"s3://{self.bucket}/{key}")
        return sha256(body)

    def get(self, key: str) -> bytes | None:
        try:
            return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
