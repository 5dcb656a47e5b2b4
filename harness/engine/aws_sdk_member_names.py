"""An ``aws-sdk:`` task takes its parameters, and gives its answer, in PascalCase, whatever the API's casing.

AWS ("Learning to use AWS service SDK integrations in Step Functions", API naming conventions):
"Parameters in Step Functions are expressed in PascalCase, even if the native service API is in
camelCase", its example Step Functions' own ``StateMachineArn``; the answer comes back in
PascalCase too (recorded on AWS, LocalStack's ``test_aws_sdk_task_service`` snapshot:
``aws-sdk:sfn:startExecution`` answers ``ExecutionArn`` and ``StartDate``). botocore's models of
camelCase APIs (Step Functions, CloudWatch Logs, ECS, Batch, EKS, API Gateway ...), and some
structures of PascalCase ones (STS's ``PolicyArns[].arn``, SQS's ``tags``), name their members in
camelCase; moto handed the task's names to botocore unchanged, and every such task failed with
States.Runtime, its cause the first parameter's name (``'LogGroupName'``).

Names, for every aws-sdk task: each parameter goes to the member it names, through structures,
lists and map values (a map's keys are data, kept); each member of the answer takes a capital
first letter, by the same shapes. A name already in PascalCase is unchanged either way, so an
operation whose members are all PascalCase (S3's GetObject, DynamoDB's GetItem, SQS's
SendMessage) is called and answered exactly as before.
Values, where the operation itself is camelCase: a null parameter is left out, a JSON value
where the API takes text is sent as its compact JSON text (an object ``Input`` of
``startExecution``, as recorded), and the answer's timestamps become ISO-8601 text in UTC.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

from botocore import xform_name
from botocore.exceptions import UnknownServiceError
from botocore.model import ListShape, MapShape, OperationModel, Shape, StringShape, StructureShape
from moto.core.utils import get_service_model
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
    StateTaskService,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
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


def camel_cased(model: OperationModel) -> bool:
    """Whether the operation names its own members in camelCase (``logGroupName``), as Step Functions does not."""
    return any(isinstance(shape, StructureShape) and any(name[:1].islower() for name in shape.members)
               for shape in (model.input_shape, model.output_shape))


def pascal_case(name: str) -> str:
    """A member's name as Step Functions writes it: ``logGroupName`` -> ``LogGroupName``."""
    return name[:1].upper() + name[1:]


def json_text(value: Any) -> str:
    """A JSON value sent where the API takes text: compact JSON, as moto's own ``Input`` rule writes it."""
    return to_json_str(value, separators=(",", ":"))


@functools.lru_cache(maxsize=4096)
def _member_names(shape: StructureShape) -> dict[str, str]:
    return {camel_to_snake_case(name): name for name in shape.members}


def request_named(value: Any, shape: Shape | None) -> Any:
    """``value`` with each structure's keys renamed to the members they name, through lists and map
    values; a key that names no member is kept (the call then fails naming it, as before)."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        names = _member_names(shape)
        named = {}
        for key, item in value.items():
            member = names.get(camel_to_snake_case(key))
            named[member or key] = request_named(item, shape.members[member]) if member else item
        return named
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [request_named(item, shape.member) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {key: request_named(item, shape.value) for key, item in value.items()}
    return value


def pascal_cased(value: Any, shape: Shape | None) -> Any:
    """``value`` with each structure member's name given a capital first letter, through lists and
    map values (a map's keys are data, kept)."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {
            (pascal_case(key) if key in shape.members else key): pascal_cased(item, shape.members.get(key))
            for key, item in value.items()
        }
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [pascal_cased(item, shape.member) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {key: pascal_cased(item, shape.value) for key, item in value.items()}
    return value


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
    """``parameters`` (changed in place) named as the operation's input members; for a camelCase
    operation, nulls left out and JSON values where it takes text as their JSON text."""
    shape = model.input_shape
    if not isinstance(shape, StructureShape):
        return
    named = request_named(parameters, shape)
    if camel_cased(model):
        for key in list(named):
            if named[key] is None:
                del named[key]  # a null parameter is an absent one
            elif isinstance(shape.members.get(key), StringShape) and not isinstance(named[key], str):
                named[key] = json_text(named[key])
        task._to_boto_request(named, shape)  # moto's own conversions of the values within
    parameters.clear()
    parameters.update(named)


def to_answer(response: dict[str, Any], model: OperationModel) -> dict[str, Any]:
    """The operation's answer in Step Functions' casing; for a camelCase operation, timestamps as text."""
    answer = pascal_cased(response, model.output_shape)
    return timestamps_as_text(answer) if camel_cased(model) else answer


def _operation_of(task: StateTaskServiceAwsSdk, boto_service_name: str | None = None,
                  service_action_name: str | None = None) -> OperationModel | None:
    return operation(task._get_boto_service_name(boto_service_name), task._get_boto_service_action(service_action_name))


def _normalise_parameters(self: StateTaskServiceAwsSdk, parameters: dict[str, Any],
                          boto_service_name: str | None = None, service_action_name: str | None = None) -> None:
    model = _operation_of(self, boto_service_name, service_action_name)
    if model is not None:
        to_request(self, parameters, model)


def _answer_renamed(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def _eval_service_task(self: StateTaskServiceAwsSdk, env: Environment, *args: Any, **kwargs: Any) -> None:
        original(self, env, *args, **kwargs)
        model = _operation_of(self)
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
