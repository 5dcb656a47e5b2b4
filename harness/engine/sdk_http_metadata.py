"""Optimised SQS and DynamoDB integrations return SdkHttpMetadata and SdkResponseMetadata.

(The optimised Step Functions integration, ``states:startExecution``, gets the same metadata in
``nested_executions``, with the headers SQS answers with, as recorded there.)

AWS's optimised integrations (``arn:aws:states:::sqs:sendMessage``, ``:::dynamodb:putItem`` ...)
pass the service's HTTP response metadata to the state's result: status code, headers (each
also as a one-element list under AllHttpHeaders) and the request id. moto drops the boto
``ResponseMetadata`` and adds nothing. The headers are the ones each service answers with
(recorded on AWS); Content-Length is the length of the compact JSON body the service returned.
DynamoDB names its request id header ``x-amzn-RequestId`` in its answers to writes and
``x-amzn-requestid`` in its answers to GetItem (as recorded on AWS for every GetItem).
``aws-sdk:`` integrations do not get this metadata on AWS and are left alone.
"""

from __future__ import annotations

import email.utils
import functools
import json
import uuid
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb import (
    StateTaskServiceDynamoDB,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs import (
    StateTaskServiceSqs,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment

JSON_10 = "application/x-amz-json-1.0"


# DynamoDB actions whose answers carry the request id header in lower case (recorded on AWS).
LOWER_CASE_REQUEST_ID = frozenset({"getItem"})


def json_protocol_headers(action: str, request_id: str, length: int, date: str) -> dict[str, str]:
    """The headers SQS and Step Functions answer with (the same five, in this order, recorded on AWS)."""
    return {"x-amzn-RequestId": request_id, "connection": "keep-alive", "Content-Length": str(length),
            "Date": date, "Content-Type": JSON_10}


def _dynamodb_headers(action: str, request_id: str, length: int, date: str) -> dict[str, str]:
    request_id_header = "x-amzn-requestid" if action in LOWER_CASE_REQUEST_ID else "x-amzn-RequestId"
    return {"Server": "Server", "Connection": "keep-alive", request_id_header: request_id,
            "x-amz-crc32": "0", "Content-Length": str(length), "Date": date, "Content-Type": JSON_10}


Headers = Callable[[str, str, int, str], dict[str, str]]


def with_metadata(response: dict[str, Any], headers_of: Headers, action: str = "",
                  body: str | None = None) -> dict[str, Any]:
    """``response`` with the metadata; ``body``: the answer as the service sent it, if not ``response``'s JSON."""
    body = json.dumps(response, separators=(",", ":")) if body is None else body
    request_id = str(uuid.uuid4())
    headers = headers_of(action, request_id, len(body.encode()), email.utils.formatdate(usegmt=True))
    return {
        **response,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {k: [v] for k, v in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
    }


def _wrap(cls: type, headers_of: Headers) -> None:
    original = cls._eval_service_task
    if getattr(original, "__sdk_metadata__", False):
        return

    @functools.wraps(original)
    def _eval_service_task(self: Any, env: Environment, *args: Any, **kwargs: Any) -> None:
        original(self, env, *args, **kwargs)
        if env.stack and isinstance(env.stack[-1], dict):
            env.stack.append(with_metadata(env.stack.pop(), headers_of, self.resource.api_action))

    _eval_service_task.__sdk_metadata__ = True  # type: ignore[attr-defined]
    cls._eval_service_task = _eval_service_task


def install() -> None:
    _wrap(StateTaskServiceSqs, json_protocol_headers)
    _wrap(StateTaskServiceDynamoDB, _dynamodb_headers)
