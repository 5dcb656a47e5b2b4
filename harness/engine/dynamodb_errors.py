"""DynamoDB validation errors as AWS answers them, and as a Step Functions task names them.

* DynamoDB validates a request before it acts (its API's "1 validation error detected: Value
  null at 'item' failed to satisfy constraint: Member must not be null"): a required member that
  is missing or null, and a table name outside its pattern ([a-zA-Z0-9_.-]+, 3 to 255
  characters; an ARN names a table too). moto failed inside instead ("'NoneType' object has no
  attribute 'items'") or looked the odd name up (ResourceNotFoundException). A ``dynamodb:`` task
  gets the same answer for the request it would send (the SDK client it uses could not even send
  a null member).
* A ``dynamodb:`` task reports an error DynamoDB answers as AWS's SDK names it: the error code
  when it is one of DynamoDB's modelled exceptions (``DynamoDB.ConditionalCheckFailedException``),
  else ``DynamoDB.AmazonDynamoDBException`` (a ValidationException among them). moto prefixed
  any code.
* UpdateItem returns ``ConsumedCapacity`` only when ``ReturnConsumedCapacity`` asks for it, as
  every other write does; moto always added it.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable
from typing import Any, Final

import botocore
from botocore.exceptions import ClientError
from moto.core.utils import get_service_model
from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.responses import DynamoHandler
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb import (
    StateTaskServiceDynamoDB,
)

# moto's own copy (cached): its DynamoDB handler reads the same model on its first request.
MODEL = get_service_model("dynamodb")
MODELLED_ERRORS: Final = frozenset(s for s in MODEL.shape_names if MODEL.shape_for(s).metadata.get("exception"))
UNMODELLED_ERROR: Final = "AmazonDynamoDBException"
TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")
_original_error_cause = StateTaskServiceDynamoDB._error_cause_from_client_error


def _member(name: str) -> str:
    """How DynamoDB names a member in its messages: lower camel case (``TableName`` -> ``tableName``)."""
    return name[:1].lower() + name[1:]


def validation_errors(operation: str, body: dict[str, Any]) -> list[str]:
    """What DynamoDB would refuse in a request of ``operation``, in its words, in member order."""
    shape = MODEL.operation_model(operation).input_shape
    errors = []
    for name in shape.members:
        value = body.get(name)
        if value is None and name in shape.required_members:
            errors.append(f"Value null at '{_member(name)}' failed to satisfy constraint: Member must not be null")
        elif name == "TableName" and isinstance(value, str) and not value.startswith("arn:"):
            if not TABLE_NAME.fullmatch(value):
                errors.append(f"Value '{value}' at 'tableName' failed to satisfy constraint: "
                              "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
            elif not 3 <= len(value) <= 255:
                bound = "greater than or equal to 3" if len(value) < 3 else "less than or equal to 255"
                errors.append(f"Value '{value}' at 'tableName' failed to satisfy constraint: "
                              f"Member must have length {bound}")
    return errors


def _validated(operation: str, method: Callable[[DynamoHandler], Any]) -> Callable[[DynamoHandler], Any]:
    @functools.wraps(method)
    def action(self: DynamoHandler) -> Any:
        errors = validation_errors(operation, self.body or {})
        if errors:
            plural = "s" if len(errors) > 1 else ""
            raise MockValidationException(f"{len(errors)} validation error{plural} detected: " + "; ".join(errors))
        return method(self)

    action.__validated__ = True  # type: ignore[attr-defined]
    return action


def _update_item(original: Callable[[DynamoHandler], Any]) -> Callable[[DynamoHandler], Any]:
    @functools.wraps(original)
    def update_item(self: DynamoHandler) -> Any:
        result = original(self)
        if self.body.get("ReturnConsumedCapacity", "NONE") == "NONE" and isinstance(result.result, dict):
            result.result.pop("ConsumedCapacity", None)
        return result

    return update_item


def _checked_task(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def _eval_service_task(self: StateTaskServiceDynamoDB, env: Any, resource_runtime_part: Any,
                           normalised_parameters: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        action = self.resource.api_action
        operation = action[:1].upper() + action[1:]
        if operation in MODEL.operation_names:
            errors = validation_errors(operation, normalised_parameters)
            if errors:
                plural = "s" if len(errors) > 1 else ""
                raise ClientError({
                    "Error": {"Code": "ValidationException",
                              "Message": f"{len(errors)} validation error{plural} detected: " + "; ".join(errors)},
                    "ResponseMetadata": {"HTTPStatusCode": 400, "RequestId": str(uuid.uuid4()).upper()},
                }, operation)
        original(self, env, resource_runtime_part, normalised_parameters, *args, **kwargs)

    return _eval_service_task


def error_cause_from_client_error(client_error: ClientError) -> tuple[str, str]:
    error, cause = _original_error_cause(client_error)
    code = client_error.response["Error"]["Code"]
    if code not in MODELLED_ERRORS:
        error = f"DynamoDB.{UNMODELLED_ERROR}"
    return error, cause


def install() -> None:
    if getattr(DynamoHandler.put_item, "__validated__", False):
        return
    DynamoHandler.update_item = _update_item(DynamoHandler.update_item)  # type: ignore[method-assign]
    for operation in MODEL.operation_names:
        method_name = botocore.xform_name(operation)
        method = DynamoHandler.__dict__.get(method_name)
        if method is not None:
            setattr(DynamoHandler, method_name, _validated(operation, method))
    StateTaskServiceDynamoDB._eval_service_task = _checked_task(  # type: ignore[method-assign]
        StateTaskServiceDynamoDB._eval_service_task)
    StateTaskServiceDynamoDB._error_cause_from_client_error = staticmethod(  # type: ignore[method-assign]
        error_cause_from_client_error)
