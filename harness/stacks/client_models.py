"""boto3's service models loaded on a thread while the stack waits for its emulator to start.

The first client of a service reads and parses that service's model (0.1-0.3 s each for SQS,
DynamoDB and S3); boto3's default session keeps what it read, so the clients provisioning makes
once the endpoint is known are made in milliseconds. The thread makes clients it never uses, for
an address nothing listens on: no request is sent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from harness.aws_clients import LOCAL_CREDENTIALS

log = logging.getLogger(__name__)

# What provisioning and the suite's first steps call on every local stack.
PROVISIONING_SERVICES = ("sqs", "dynamodb", "s3", "secretsmanager", "stepfunctions")
# How long the stack waits for the thread: reading the models takes about a second; after this the
# stack goes on, and its own clients read what they need.
JOIN_SECONDS = 30.0
_NOWHERE = "http://127.0.0.1:9"  # never contacted: a client sends nothing until it is called


def _load(services: Iterable[str], region: str) -> None:
    # Imported here, on the thread: importing boto3 is a good part of the head start.
    import boto3

    for service in services:
        try:
            boto3.client(service, region_name=region, endpoint_url=_NOWHERE, **LOCAL_CREDENTIALS)
        except Exception as exc:  # noqa: BLE001 - only a head start: the real client reports the error
            log.debug("could not preload %s's model: %s", service, exc)


def preload(region: str, services: Iterable[str] = PROVISIONING_SERVICES) -> threading.Thread:
    """Start loading the services' models; ``join(JOIN_SECONDS)`` the thread before relying on it, or not at all."""
    thread = threading.Thread(target=_load, args=(tuple(services), region), name="client-models", daemon=True)
    thread.start()
    return thread
