"""TestState's ``mock.fieldValidationMode``: a mocked Task result checked against the shape of the
API answer it stands for.

API reference (MockInput): "Determines the level of strictness when validating mocked results
against their respective API models": STRICT (the default) "All required fields must be present,
and all present fields must conform to the API's schema"; PRESENT "All present fields must
conform to the API's schema"; NONE "No validation is performed". The model is the service
operation the Task calls (``arn:aws:states:::sqs:sendMessage`` is SQS SendMessage,
``arn:aws:states:::aws-sdk:s3:getObject`` S3 GetObject), read from botocore's service models,
with the field names as Step Functions hands them on: the first letter capitalised
(``ExecutionArn`` for StartExecution's ``executionArn``). Fields the model does not name are
not checked. As AWS words it (recorded answers): "Mock result schema validation error: Field
'Entries' must be an array", "... Required field 'ExecutionArn' is missing", "... Field
'StorageClass' is not an expected value", "... is smaller than the minimum length", "... is less
than the minimum value", "... exceeds the maximum value"; a timestamp or a blob must be a string.

A callback (``.waitForTaskToken``) or a ``.sync`` job answers with what the worker or the job
sent, an Activity or a Lambda function ARN with a function's own output, an HTTP Task with a
response of its own: no API model describes them, so they are not checked.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.session
from botocore.exceptions import UnknownServiceError
from botocore.model import ListShape, MapShape, OperationNotFoundError, Shape, StructureShape
from moto.stepfunctions.parser.api import ValidationException

from harness.engine.aws_sdk_member_names import pascal_case
from harness.engine.aws_sdk_service_names import botocore_name

MODES = ("STRICT", "PRESENT", "NONE")
PREFIX = "Mock result schema validation error: "
OPTIMISED = "arn:aws:states:::"
AWS_SDK = "arn:aws:states:::aws-sdk:"
# Optimised integrations' service names that are not botocore's (an aws-sdk task's are resolved
# as the engine resolves them: aws_sdk_service_names).
OPTIMISED_SERVICE_NAMES = {"states": "stepfunctions", "bedrock": "bedrock-runtime"}
NUMBER_TYPES = ("integer", "long", "float", "double")


@functools.lru_cache(maxsize=1)
def _session() -> Any:
    return botocore.session.get_session()


@functools.lru_cache(maxsize=256)
def output_shape(resource: str) -> Shape | None:
    """The output shape of the API operation a Task resource calls; None where none describes its result."""
    if not resource.startswith(OPTIMISED):
        return None  # an Activity, a Lambda function ARN
    sdk = resource.startswith(AWS_SDK)
    service, _, action = resource[len(AWS_SDK if sdk else OPTIMISED):].partition(":")
    if not action or "." in action or service in ("http", "apigateway"):
        return None  # .sync and .waitForTaskToken patterns; HTTP and API Gateway answers
    try:
        botocore_service = botocore_name(service) if sdk else OPTIMISED_SERVICE_NAMES.get(service, service)
        return _session().get_service_model(botocore_service).operation_model(pascal_case(action)).output_shape
    except (UnknownServiceError, OperationNotFoundError):
        return None


def _refuse(message: str) -> None:
    raise ValidationException(PREFIX + message)


def _check(value: Any, shape: Shape, name: str, strict: bool) -> None:
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            _refuse(f"Field '{name}' must be an object")
        _check_members(value, shape, strict)
    elif isinstance(shape, ListShape):
        if not isinstance(value, list):
            _refuse(f"Field '{name}' must be an array")
        for element in value:
            _check(element, shape.member, name, strict)
    elif isinstance(shape, MapShape):
        if not isinstance(value, dict):
            _refuse(f"Field '{name}' must be an object")
        for element in value.values():
            _check(element, shape.value, name, strict)
    elif kind in ("string", "timestamp", "blob"):
        if not isinstance(value, str):
            _refuse(f"Field '{name}' must be a string")
        if shape.metadata.get("enum") and value not in shape.metadata["enum"]:
            _refuse(f"Field '{name}' is not an expected value")
        if kind != "timestamp" and "min" in shape.metadata and len(value) < shape.metadata["min"]:
            _refuse(f"Field '{name}' is smaller than the minimum length")
        if kind != "timestamp" and "max" in shape.metadata and len(value) > shape.metadata["max"]:
            _refuse(f"Field '{name}' is larger than the maximum length")
    elif kind in NUMBER_TYPES:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _refuse(f"Field '{name}' must be a number")
        if "min" in shape.metadata and value < shape.metadata["min"]:
            _refuse(f"Field '{name}' is less than the minimum value")
        if "max" in shape.metadata and value > shape.metadata["max"]:
            _refuse(f"Field '{name}' exceeds the maximum value")
    elif kind == "boolean" and not isinstance(value, bool):
        _refuse(f"Field '{name}' must be a boolean")


def _check_members(value: dict[str, Any], shape: StructureShape, strict: bool) -> None:
    if strict:
        for required in shape.required_members:
            if pascal_case(required) not in value:
                _refuse(f"Required field '{pascal_case(required)}' is missing")
    for member, member_shape in shape.members.items():
        field = pascal_case(member)
        if field in value:
            _check(value[field], member_shape, field, strict)


def validate(result: Any, resource: str, mode: str) -> None:
    """Refuse (ValidationException) a mocked ``result`` that does not fit ``resource``'s API answer."""
    if mode == "NONE":
        return
    shape = output_shape(resource)
    if shape is None:
        return
    if not isinstance(result, dict):
        _refuse("the result must be a JSON object")
    if isinstance(shape, StructureShape):
        _check_members(result, shape, strict=mode == "STRICT")
