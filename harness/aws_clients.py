"""boto3 clients for one stack: its endpoint, region and credentials in one place.

boto3 (and botocore's client parts) are imported when clients are made, not with this module: the compose stack's app
launcher (``python -m harness app NAME``) needs only the target's environment, and importing
boto3 there, in every app's container, costs a quarter of a second of CPU before the app
itself imports it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any


# The local stacks accept any credentials; these are what the AWS CLI documents for tests.
LOCAL_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
HOST_PREFIX_SETTING = "AWS_DISABLE_HOST_PREFIX_INJECTION"


@dataclass(frozen=True)
class AwsTarget:
    region: str
    endpoint_url: str | None  # None: boto3's own resolution (real AWS)

    @property
    def credentials(self) -> dict[str, str]:
        return LOCAL_CREDENTIALS if self.endpoint_url else {}

    def app_environment(self) -> dict[str, str]:
        """What an app process needs to reach this target with unmodified boto3 clients."""
        env = {"AWS_DEFAULT_REGION": self.region, "AWS_REGION": self.region}
        if self.endpoint_url:
            env["AWS_ENDPOINT_URL"] = self.endpoint_url
            # The names the seed project's apps read, so they run unchanged.
            for name in (
                "SQS_ENDPOINT",
                "S3_ENDPOINT_URL",
                "DYNAMO_ENDPOINT_URL",
                "SECRETSMANAGER_ENDPOINT_URL",
                "STEPFUNCTIONS_ENDPOINT_URL",
            ):
                env[name] = self.endpoint_url
            # The SDKs put "sync-" before the host of TestState and StartSyncExecution, and
            # sync-127.0.0.1 resolves nowhere: this botocore/CLI setting keeps the endpoint's host.
            env[HOST_PREFIX_SETTING] = "true"
            env["AWS_ACCESS_KEY_ID"] = LOCAL_CREDENTIALS["aws_access_key_id"]
            env["AWS_SECRET_ACCESS_KEY"] = LOCAL_CREDENTIALS["aws_secret_access_key"]
        return env


class Clients:
    """Lazily made clients, one per service, shared by steps and the harness."""

    def __init__(self, target: AwsTarget) -> None:
        from botocore.config import Config

        self.target = target
        # A local endpoint is one host: no "sync-" prefix (see AwsTarget.app_environment).
        self._config = Config(retries={"max_attempts": 3, "mode": "standard"},
                              inject_host_prefix=target.endpoint_url is None)

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            region_name=self.target.region,
            endpoint_url=self.target.endpoint_url,
            config=self._config,
            **self.target.credentials,
        )

    @cached_property
    def sqs(self) -> Any:
        return self.client("sqs")

    @cached_property
    def s3(self) -> Any:
        return self.client("s3")

    @cached_property
    def dynamodb(self) -> Any:
        return self.client("dynamodb")

    @cached_property
    def secretsmanager(self) -> Any:
        return self.client("secretsmanager")

    @cached_property
    def stepfunctions(self) -> Any:
        return self.client("stepfunctions")

    @cached_property
    def events(self) -> Any:
        return self.client("events")

    @cached_property
    def iam(self) -> Any:
        return self.client("iam")

    @cached_property
    def sts(self) -> Any:
        return self.client("sts")
