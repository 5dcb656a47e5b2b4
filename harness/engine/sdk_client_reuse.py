"""One boto3 client per (region, service) for the interpreter's service tasks, made once.

Replaces ``moto.stepfunctions.parser.asl.utils.boto_client.boto_client_for`` (and the same name
bound in every interpreter or engine module that imported it). moto makes a new boto3 client for every
``sqs:``, ``dynamodb:``, ``aws-sdk:`` ... task it runs; making one copies botocore's event
handlers and resolves the endpoint rules, a quarter of the emulator's busy time in a burst of
callback executions. botocore's clients are thread-safe, so one per region, service and
endpoint serves every execution; what each call sends is unchanged (same credentials, endpoint
and config, with a connection pool wide enough for the executions running at once). A client
of this server's own endpoint hands its requests to the server's application in-process
(``in_process_calls``).
"""

from __future__ import annotations

import functools
import sys
import threading
from typing import Any

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from moto.core.models import botocore_stubber
from moto.settings import moto_server_port
from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import TimeoutSeconds
from moto.stepfunctions.parser.asl.utils import boto_client

from harness.engine import in_process_calls

# Executions run on their own threads: let that many hold a connection to the server each.
POOL_CONNECTIONS = 64

_clients: dict[tuple[str, str, str | None], BaseClient] = {}
_lock = threading.Lock()
_original = boto_client.boto_client_for


def _make(region: str, service: str, endpoint_url: str | None) -> BaseClient:
    kwargs = {"endpoint_url": endpoint_url} if endpoint_url else {}
    client = boto3.client(
        aws_access_key_id="ak",
        region_name=region,
        service_name=service,
        aws_secret_access_key="sk",
        config=Config(
            parameter_validation=False,
            retries={"max_attempts": 0, "total_max_attempts": 1},
            connect_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
            read_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
            max_pool_connections=POOL_CONNECTIONS,
        ),
        **kwargs,
    )
    if endpoint_url:
        # This server's own endpoint: answered by its application in-process once it serves one.
        client.meta.events.register("before-send", in_process_calls.answer_in_process)
    return client


@functools.wraps(_original)
def boto_client_for(region: str, service: str, state_credentials: Any = None) -> BaseClient:
    # As moto's: calls go to this server over HTTP unless moto's in-process stubber intercepts
    # them (the decorator mode, where no server listens). moto ignores state_credentials too.
    endpoint_url = None if botocore_stubber.enabled else f"http://localhost:{moto_server_port()}"
    key = (region, service, endpoint_url)
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = _make(region, service, endpoint_url)
    return client


boto_client_for.__reused__ = True  # type: ignore[attr-defined]


def install() -> None:
    boto_client.boto_client_for = boto_client_for  # for a module imported from now on
    # Every module that bound the name at import (the interpreter's, the engine's own Map runtime):
    # its own reference is replaced.
    for name, module in list(sys.modules.items()):
        if name.startswith(("moto.stepfunctions.parser", "harness.engine")) and getattr(
            module, "boto_client_for", None
        ) is _original:
            module.boto_client_for = boto_client_for  # type: ignore[attr-defined]
