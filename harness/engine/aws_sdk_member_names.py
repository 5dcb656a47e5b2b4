"""An ``aws-sdk:`` task of a camelCase API takes its parameters, and gives its answer, in PascalCase.

AWS ("Learning to use AWS service SDK integrations in Step Functions", API naming conventions):
"Parameters in Step Functions are expressed in PascalCase, even if the native service API is in
camelCase", its example Step Functions' own ``StateMachineArn``; the answer comes back in
PascalCase too (recorded on AWS, LocalStack's ``test_aws_sdk_task_service`` snapshot:
``aws-sdk:sfn:startExecution`` answers ``ExecutionArn`` and ``StartDate``). botocore's models of
such APIs (Step Functions, CloudWatch Logs, ECS, Batch, EKS, API Gateway ...) name their members
in camelCase, and moto handed the task's names to botocore unchanged: every such task failed
with States.Runtime, its cause the first parameter's name (``'LogGroupName'``).

Here, where an operation's members are camelCase, each parameter is renamed to the member it
names (moto's ``_to_boto_request``, by the operation's input shape), a null parameter is left out
and a JSON value where the API takes text is sent as its compact JSON text (an object ``Input``
of ``startExecution``, as recorded); the answer's members take a capital first letter, through
its structures and lists (a map's keys are data, kept), and its timestamps become ISO-8601 text
in UTC. An API whose members are PascalCase already (S3, DynamoDB, SQS, SNS, Secrets Manager,
EventBridge) is left as moto ran it: nothing to rename, and a renaming rule would change names
such as SQS's ``MD5OfMessageBody``.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable
from typing import Any

from botocore import xform_name
from botocore.exceptions import UnknownServiceError
from botocore.model import ListShape, OperationModel, Shape, StringShape, StructureShape
from moto.core.utils import get_service_model
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
    StateTaskService,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.utils import camel_to_snake_case


@functools.cache
def _operations(service: str) -> dict[str, OperationModel]:
    try:
        model = get_service_model(service)
    except UnknownServiceError:
        return {}
    return {xform_name(name): model.operation_model(name) for name in model.operation_names}


def operation(service: str, action: str) -> OperationModel | None:
    """botocore's operation of ``service`` for a snake-case action (``start_execution``); None if none."""
    return _operations(service).get(action)


def camel_cased(shape: Shape | None) -> bool:
    """Whether a structure names its members in camelCase (``logGroupName``), as Step Functions does not."""
    return isinstance(shape, StructureShape) and any(name[:1].islower() for name in shape.members)


def timestamps_as_text(value: Any) -> Any:
    """botocore's datetimes as ISO-8601 text in UTC, milliseconds as the APIs keep them."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
    if isinstance(value, dict):
        return {key: timestamps_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [timestamps_as_text(item) for item in value]
    return value


def to_request(task: StateTaskService, parameters: dict[str, Any], model: OperationModel) -> None:
    """Rename ``parameters`` in place to the members of the operation's input."""
    if not isinstance(model.input_shape, StructureShape):
        return
    members = {camel_to_snake_case(name): shape for name, shape in model.input_shape.members.items()}
    for key in list(parameters):
        shape = members.get(camel_to_snake_case(key))
        if parameters[key] is None:
            del parameters[key]  # a null parameter is an absent one
        elif isinstance(shape, StringShape) and not isinstance(parameters[key], str):
            parameters[key] = json.dumps(parameters[key], separators=(",", ":"), ensure_ascii=False)
    task._to_boto_request(parameters, model.input_shape)


def pascal_cased(value: Any, shape: Shape | None) -> Any:
    """``value`` with each structure member's name given a capital first letter, by its shape."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {
            (key[:1].upper() + key[1:] if key in shape.members else key): pascal_cased(item, shape.members.get(key))
            for key, item in value.items()
        }
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [pascal_cased(item, shape.member) for item in value]
    return value


def to_answer(response: dict[str, Any], model: OperationModel) -> dict[str, Any]:
    """The operation's answer in Step Functions' casing, timestamps as text."""
    return timestamps_as_text(pascal_cased(response, model.output_shape))


def _camel_case_operation(task: StateTaskServiceAwsSdk, boto_service_name: str | None = None,
                          service_action_name: str | None = None) -> OperationModel | None:
    model = operation(task._get_boto_service_name(boto_service_name), task._get_boto_service_action(service_action_name))
    return model if model is not None and (camel_cased(model.input_shape) or camel_cased(model.output_shape)) else None


def _normalise_parameters(self: StateTaskServiceAwsSdk, parameters: dict[str, Any],
                          boto_service_name: str | None = None, service_action_name: str | None = None) -> None:
    model = _camel_case_operation(self, boto_service_name, service_action_name)
    if model is not None:
        to_request(self, parameters, model)


def _answer_renamed(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def _eval_service_task(self: StateTaskServiceAwsSdk, env: Environment, *args: Any, **kwargs: Any) -> None:
        original(self, env, *args, **kwargs)
        model = _camel_case_operation(self)
        if model is not None and env.stack and isinstance(env.stack[-1], dict):
            env.stack.append(to_answer(env.stack.pop(), model))

    _eval_service_task.__member_names__ = True  # type: ignore[attr-defined]
    return _eval_service_task


def install() -> None:
    if getattr(StateTaskServiceAwsSdk._eval_service_task, "__member_names__", False):
        return
    StateTaskServiceAwsSdk._normalise_parameters = _normalise_parameters  # type: ignore[method-assign]
    StateTaskServiceAwsSdk._eval_service_task = _answer_renamed(  # type: ignore[method-assign]
        StateTaskServiceAwsSdk._eval_service_task)
