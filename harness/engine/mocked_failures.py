"""A mocked ``Throw`` fails a Task with the error and cause the mock configuration names, in
every service integration.

AWS's guide to mocked service integrations: a ``Throw`` response makes the Task fail with its
``Error`` and ``Cause``, so Retry and Catch see that error. moto raises it as a
``FailureEventException``; its base Task passes that through, but integrations that read
service errors themselves (DynamoDB, SNS, Lambda, ...) turn any other exception into their
generic error, so a mocked ``DynamoDB.ProvisionedThroughputExceededException`` arrived as
``DynamoDB.AmazonDynamoDBException`` and no Retry on the first fired.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)

SERVICE_MODULE = "moto.stepfunctions.parser.asl.component.state.exec.state_task.service."
# The integrations whose own _from_error renames a mocked failure (moto 5.2.5). SQS and the
# callback pattern are left out: their mocked failures already reach Retry and Catch by name.
INTEGRATIONS = {
    "state_task_service_api_gateway": "StateTaskServiceApiGateway",
    "state_task_service_aws_sdk": "StateTaskServiceAwsSdk",
    "state_task_service_batch": "StateTaskServiceBatch",
    "state_task_service_dynamodb": "StateTaskServiceDynamoDB",
    "state_task_service_events": "StateTaskServiceEvents",
    "state_task_service_glue": "StateTaskServiceGlue",
    "state_task_service_lambda": "StateTaskServiceLambda",
    "state_task_service_sfn": "StateTaskServiceSfn",
    "state_task_service_sns": "StateTaskServiceSns",
}
REPLACED = tuple(f"{SERVICE_MODULE}{module}.{cls}._from_error" for module, cls in INTEGRATIONS.items())


def _keeping_mocked_failure(from_error: Callable[..., FailureEvent]) -> Callable[..., FailureEvent]:
    @functools.wraps(from_error)
    def wrapper(self: Any, env: Any, ex: Exception) -> FailureEvent:
        if isinstance(ex, FailureEventException):
            return ex.failure_event
        return from_error(self, env, ex)

    wrapper.__keeps_mocked_failure__ = True  # type: ignore[attr-defined]
    return wrapper


def install() -> None:
    for module, name in INTEGRATIONS.items():
        cls = getattr(importlib.import_module(SERVICE_MODULE + module), name)
        if not getattr(cls._from_error, "__keeps_mocked_failure__", False):
            cls._from_error = _keeping_mocked_failure(cls._from_error)
