"""``aws-sdk:`` task errors carry the service name AWS's SDK gives them; Secrets Manager checks names.

AWS ("Integrating services with the AWS SDK", error names): an error of an ``aws-sdk:`` task is
named ``<Service>.<Exception>``, where ``<Service>`` is the service's SDK client name: its
service id in Pascal case, acronyms as words (``S3``, ``SecretsManager``, ``DynamoDb``, ``Sfn``,
``Ec2``, ``ApiGateway``), and an error the service does not model is ``<Service>.<Service>Exception``.
moto knew two names and used the resource's lower-case name for every other service, so a Catch
on ``S3.NoSuchKeyException`` never matched moto's ``s3.NoSuchKeyException``.

Secrets Manager refuses a secret name outside its alphabet, "Invalid name. Must be a valid name
containing alphanumeric characters, or any of the following: -/_+=.@!" (ValidationException);
moto created the secret.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import botocore.session
from botocore.exceptions import UnknownServiceError
from moto.secretsmanager.exceptions import ValidationException
from moto.secretsmanager.models import SecretsManagerBackend
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)

from harness.engine.aws_sdk_service_names import botocore_name

SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@!-]+")
INVALID_SECRET_NAME = ("Invalid name. Must be a valid name containing alphanumeric characters, "
                       "or any of the following: -/_+=.@!")
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_original_service_name = StateTaskServiceAwsSdk._normalise_service_error_name


def sdk_client_name(service_id: str) -> str:
    """A service id as the SDK names its client: ``Secrets Manager`` -> ``SecretsManager``, ``DynamoDB`` -> ``DynamoDb``."""
    return "".join(word[:1].upper() + word[1:].lower() for word in _WORDS.findall(service_id))


@functools.lru_cache(maxsize=None)
def service_error_name(service_name: str) -> str:
    try:
        model = botocore.session.get_session().get_service_model(botocore_name(service_name))
    except UnknownServiceError:
        return str(_original_service_name(service_name))
    return sdk_client_name(model.metadata["serviceId"])


def _checked_create_secret(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_secret(self: SecretsManagerBackend, name: str, *args: Any, **kwargs: Any) -> Any:
        if not SECRET_NAME.fullmatch(name or ""):
            raise ValidationException(INVALID_SECRET_NAME)
        return original(self, name, *args, **kwargs)

    create_secret.__checked__ = True  # type: ignore[attr-defined]
    return create_secret


def install() -> None:
    StateTaskServiceAwsSdk._normalise_service_error_name = staticmethod(service_error_name)  # type: ignore[method-assign]
    if not getattr(SecretsManagerBackend.create_secret, "__checked__", False):
        SecretsManagerBackend.create_secret = _checked_create_secret(  # type: ignore[method-assign]
            SecretsManagerBackend.create_secret)
