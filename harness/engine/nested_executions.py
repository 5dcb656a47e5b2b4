"""A Task that starts an execution (``arn:aws:states:::states:startExecution``) speaks Step Functions' API as AWS does.

Such a Task (request-response, ``.sync``, ``.sync:2``, ``.waitForTaskToken``) names its parameters as
Step Functions writes them (``StateMachineArn``, ``Input``, ``Name``); botocore's model of the
service names them ``stateMachineArn``, ``input``, ``name``. moto's base task leaves both the
request and the answer as they are (its ``_normalise_parameters`` / ``_normalise_response`` do
nothing), so every such task failed with States.Runtime, cause ``'StateMachineArn'``, and the
``.sync`` resolvers, which read the start's answer as ``ExecutionArn``, could never have run.

Here the parameters and the answers are renamed by the operation's shapes in botocore's model,
as an ``aws-sdk:`` task of a camelCase API is (``aws_sdk_member_names``, which also serves
``aws-sdk:sfn:<action>``): ``ExecutionArn``, ``InputDetails.Included``.

What AWS answers, as recorded on AWS (LocalStack's snapshots of ``test_sfn_task_service``,
``test_callback``, ``test_credentials_base``, ``test_aws_sdk_task_service``):
  * ``states:startExecution``: ``ExecutionArn``, ``StartDate``, and the HTTP metadata of the
    optimised integrations (``SdkHttpMetadata`` with SQS's five headers, ``SdkResponseMetadata``);
    fields in alphabetical order. An ``Input`` that is not text is sent as its compact JSON text
    (moto's own rule), none at all as ``{}``.
  * ``.sync``: that answer is the TaskSubmitted event's output; the task's result is the child's
    DescribeExecution in Step Functions' casing (``ExecutionArn``, ``Input``, ``InputDetails``,
    ``Name``, ``Output``, ``OutputDetails``, ``RedriveCount``, ``RedriveStatus``,
    ``RedriveStatusReason``, ``StartDate``, ``StateMachineArn``, ``Status``, ``StopDate``),
    ``Input`` and ``Output`` as JSON text. ``.sync:2``: the same, ``Input`` and ``Output`` as JSON.
  * a child that fails or times out (and, by moto's rule, one that is aborted) fails the task
    with ``States.TaskFailed``, its cause the child's DescribeExecution as JSON text (with the
    child's ``Error`` and ``Cause``).
  * ``aws-sdk:sfn:startExecution`` (``aws_sdk_member_names``): ``ExecutionArn`` and ``StartDate``
    only (no HTTP metadata); an ``Input`` that is not text is sent as its JSON text, a null one
    is left out.
Timestamps are ISO-8601 text in UTC: the aws-sdk recording's ``StartDate`` is ISO-8601 text,
and TestState, recorded on AWS, refuses a ``StartDate`` that is not a string for
``states:startExecution``. (The recordings mask the digits, so the exact form is ours.)
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable
from typing import Any

from botocore.model import OperationModel
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
    StateTaskService,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
    StateTaskServiceSfn,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment

from harness.engine import aws_sdk_member_names
from harness.engine.sdk_http_metadata import json_protocol_headers, with_metadata

STEP_FUNCTIONS = "stepfunctions"  # botocore's name of the service behind ``states:`` and ``aws-sdk:sfn:``

Task = StateTaskService


def operation(action: str) -> OperationModel | None:
    """Step Functions' operation for a snake-case action (``start_execution``); None if it has none."""
    return aws_sdk_member_names.operation(STEP_FUNCTIONS, action)


def as_sent(response: dict[str, Any]) -> str:
    """The answer's JSON body as the service sends it: its own member names, epoch-second dates."""
    def encode(value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return round(value.timestamp(), 3)
        raise TypeError(type(value).__name__)

    return json.dumps(response, separators=(",", ":"), default=encode)


def to_request(task: Task, parameters: dict[str, Any], action: str) -> None:
    """Rename ``parameters`` in place to the members of the operation's input."""
    model = operation(action)
    if model is not None:  # no such operation: the call fails as it did
        aws_sdk_member_names.to_request(task, parameters, model)


def to_answer(response: dict[str, Any], action: str) -> dict[str, Any]:
    """``response`` in Step Functions' casing, timestamps as text."""
    model = operation(action)
    return aws_sdk_member_names.to_answer(response, model) if model is not None else response


# --- arn:aws:states:::states:startExecution (and its .sync, .sync:2, .waitForTaskToken) ---------

def _optimised_parameters(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def _normalise_parameters(self: StateTaskServiceSfn, parameters: dict[str, Any],
                              boto_service_name: str | None = None, service_action_name: str | None = None) -> None:
        original(self, parameters, boto_service_name, service_action_name)  # moto's Input rule first
        to_request(self, parameters, self._get_boto_service_action(service_action_name))

    _normalise_parameters.__nested_executions__ = True  # type: ignore[attr-defined]
    return _normalise_parameters


def _optimised_response(self: StateTaskServiceSfn, response: Any, boto_service_name: str | None = None,
                        service_action_name: str | None = None) -> None:
    # moto calls this with the task's own answer (no action named): that one is converted where
    # the service answered (_optimised_answer), so a mocked answer stays as its mock gives it. The
    # .sync resolvers call it with DescribeExecution's answer, which is converted here.
    if service_action_name is None or not isinstance(response, dict):
        return
    answer = to_answer(response, self._get_boto_service_action(service_action_name))
    response.clear()
    response.update(sorted(answer.items()))


def _optimised_answer(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def _eval_service_task(self: StateTaskServiceSfn, env: Environment, *args: Any, **kwargs: Any) -> None:
        original(self, env, *args, **kwargs)
        if not (env.stack and isinstance(env.stack[-1], dict)):
            return
        response = env.stack.pop()
        body = as_sent(response)
        answer = to_answer(response, self._get_boto_service_action())
        answer = with_metadata(answer, json_protocol_headers, self.resource.api_action, body=body)
        env.stack.append(dict(sorted(answer.items())))

    _eval_service_task.__nested_executions__ = True  # type: ignore[attr-defined]
    return _eval_service_task


def install() -> None:
    if getattr(StateTaskServiceSfn._eval_service_task, "__nested_executions__", False):
        return
    StateTaskServiceSfn._normalise_parameters = _optimised_parameters(  # type: ignore[method-assign]
        StateTaskServiceSfn._normalise_parameters)
    StateTaskServiceSfn._normalise_response = _optimised_response  # type: ignore[method-assign]
    StateTaskServiceSfn._eval_service_task = _optimised_answer(  # type: ignore[method-assign]
        StateTaskServiceSfn._eval_service_task)
