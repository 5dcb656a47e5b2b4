"""boto3 clients for the apps, pointed at whatever endpoint the environment names.

boto3 itself reads ``AWS_ENDPOINT_URL`` and ``AWS_ENDPOINT_URL_<SERVICE>``; the older names the
seed project's apps used are honoured too, so either set of variables works.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

LEGACY_ENDPOINT_VARIABLES = {
    "sqs": "SQS_ENDPOINT",
    "s3": "S3_ENDPOINT_URL",
    "dynamodb": "DYNAMO_ENDPOINT_URL",
    "secretsmanager": "SECRETSMANAGER_ENDPOINT_URL",
    "stepfunctions": "STEPFUNCTIONS_ENDPOINT_URL",
}

_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"})


def endpoint_for(service: str, environ: dict[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    for variable in (
        f"AWS_ENDPOINT_URL_{service.upper()}",
        "AWS_ENDPOINT_URL",
        LEGACY_ENDPOINT_VARIABLES.get(service, ""),
    ):
        if variable and env.get(variable):
            return env[variable]
    return None  # boto3's normal resolution: real AWS


def client(service: str) -> Any:
    return boto3.client(service, endpoint_url=endpoint_for(service), config=_CONFIG)


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"{name} is not set: the app cannot start without it")
    return value
