"""``aws-sdk:s3:getObject`` and ``:putObject`` take and give what AWS's integration does.

AWS (Step Functions guide, "Integrating services with the AWS SDK" and the recorded conformance
cases ``test_s3_get_object[*]`` / ``test_s3_put_object[*]``):
  * getObject's result carries ``Body`` as the object's text, with the fields S3 derives from its
    response headers: AcceptRanges, ContentLength, ContentType, ETag, LastModified, Metadata,
    ServerSideEncryption (SSE-S3 "AES256", S3's default encryption of every new object).
    moto hands the interpreter boto's StreamingBody, which cannot be copied, and the state fails
    with ``States.Runtime`` ("cannot pickle '_io.BufferedReader' object").
  * putObject with a ``Body`` that is not a string (an object, an array, a number, a boolean)
    stores its compact JSON text, and answers with the object's CRC32 checksum
    (``ChecksumCRC32``, ``ChecksumType`` FULL_OBJECT), ETag and ServerSideEncryption. moto
    passes the JSON value to boto, which fails (``'dict' object has no attribute 'tell'``).
Other actions and services are left as moto runs them.
"""

from __future__ import annotations

import base64
import functools
import json
import zlib
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment

SSE_S3 = "AES256"
GET_OBJECT_FIELDS = ("AcceptRanges", "ContentLength", "ContentType", "ETag", "LastModified", "Metadata",
                     "ServerSideEncryption", "VersionId", "ContentEncoding", "ContentLanguage",
                     "ContentDisposition", "CacheControl", "Expires", "WebsiteRedirectLocation", "StorageClass",
                     "TagCount", "Body")


def put_object_body(body: Any) -> str | bytes:
    """What S3 stores for a Body value of the state's parameters."""
    if isinstance(body, (str, bytes)):
        return body
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def crc32_base64(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def get_object_result(response: dict[str, Any]) -> dict[str, Any]:
    body = response.get("Body")
    raw: bytes = body.read() if hasattr(body, "read") else (body or b"")
    # AWS reads the body as text; bytes that are not UTF-8 are replaced, not an error.
    result = {**response, "Body": raw.decode("utf-8", errors="replace")}
    result.setdefault("ServerSideEncryption", SSE_S3)
    result.setdefault("Metadata", {})
    return {k: result[k] for k in GET_OBJECT_FIELDS if k in result}


def put_object_result(response: dict[str, Any], stored: str | bytes) -> dict[str, Any]:
    data = stored.encode() if isinstance(stored, str) else stored
    result = dict(response)
    result.setdefault("ChecksumCRC32", crc32_base64(data))
    result.setdefault("ChecksumType", "FULL_OBJECT")
    result.setdefault("ServerSideEncryption", SSE_S3)
    return result


EvalServiceTask = Callable[..., None]


def _wrap(original: EvalServiceTask) -> EvalServiceTask:
    @functools.wraps(original)
    def _eval_service_task(self: StateTaskServiceAwsSdk, env: Environment, resource_runtime_part: Any,
                           normalised_parameters: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        action = (self._get_boto_service_name(), self._get_boto_service_action())
        stored: str | bytes | None = None
        if action == ("s3", "put_object") and "Body" in normalised_parameters:
            stored = put_object_body(normalised_parameters["Body"])
            normalised_parameters = {**normalised_parameters, "Body": stored}
        original(self, env, resource_runtime_part, normalised_parameters, *args, **kwargs)
        if action == ("s3", "get_object") and isinstance(env.stack[-1], dict):
            env.stack.append(get_object_result(env.stack.pop()))
        elif action == ("s3", "put_object") and isinstance(env.stack[-1], dict):
            env.stack.append(put_object_result(env.stack.pop(), stored if stored is not None else b""))

    _eval_service_task.__s3_results__ = True  # type: ignore[attr-defined]
    return _eval_service_task


def install() -> None:
    if not getattr(StateTaskServiceAwsSdk._eval_service_task, "__s3_results__", False):
        StateTaskServiceAwsSdk._eval_service_task = _wrap(  # type: ignore[method-assign]
            StateTaskServiceAwsSdk._eval_service_task)
