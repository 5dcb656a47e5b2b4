"""S3 buckets; deleting one empties it first, every version included."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.resources.kind import Planned, error_code
from harness.resources.record import Provisioned
from harness.settings import Settings

kind = "bucket"
section = "buckets"
suffixes = ("Name", "Arn")
gone = frozenset({"NoSuchBucket"})


def create(clients: Clients, settings: Settings, planned: Planned, out: Provisioned) -> None:
    kwargs: dict[str, Any] = {"Bucket": planned.name}
    if settings.region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": settings.region}
    try:
        clients.s3.create_bucket(**kwargs)
        out.made(kind, planned.name)
    except ClientError as exc:
        if error_code(exc) != "BucketAlreadyOwnedByYou":
            raise
    if planned.spec.versioned:
        clients.s3.put_bucket_versioning(Bucket=planned.name, VersioningConfiguration={"Status": "Enabled"})
    out.record(planned.logical_name, planned.name, Arn=f"arn:aws:s3:::{planned.name}")


def discover(clients: Clients, planned: Planned, out: Provisioned) -> None:
    clients.s3.head_bucket(Bucket=planned.name)
    out.record(planned.logical_name, planned.name, Arn=f"arn:aws:s3:::{planned.name}")


def delete(clients: Clients, identifier: str) -> None:
    for page in clients.s3.get_paginator("list_object_versions").paginate(Bucket=identifier):
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        if doomed:
            clients.s3.delete_objects(Bucket=identifier, Delete={"Objects": doomed, "Quiet": True})
    clients.s3.delete_bucket(Bucket=identifier)


def plan_lines(planned: Planned) -> list[str]:
    return [f"S3 bucket        {planned.name}"]
