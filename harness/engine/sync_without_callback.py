"""``.sync`` runs for a service that offers no ``.waitForTaskToken``: Glue's ``startJobRun.sync``.

AWS (Step Functions guide, "Run a Job (.sync)" for AWS Glue): ``arn:aws:states:::glue:startJobRun.sync``
starts the job run and waits until it ends. moto's callback tasks end every integration pattern
by interrupting the task's callback endpoint, which only a service that offers
``.waitForTaskToken`` has; Glue offers ``.sync`` alone, so its run was waited for and then lost
to ``'NoneType' object has no attribute 'interrupt_all'``: every ``glue:startJobRun.sync`` task
failed with States.Runtime.

Here such a task runs moto's own ``.sync`` steps (the state's timeout, the service's sync
resolver, ``_eval_sync``) without an endpoint, and its outcome is the task's result as in moto.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import ResourceCondition
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
    StateTaskServiceCallback,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment

EvalIntegrationPattern = Callable[..., None]


def _without_endpoint(original: EvalIntegrationPattern) -> EvalIntegrationPattern:
    @functools.wraps(original)
    def _eval_integration_pattern(self: StateTaskServiceCallback, env: Environment, resource_runtime_part: Any,
                                  normalised_parameters: dict[str, Any], state_credentials: Any) -> None:
        if (ResourceCondition.WaitForTaskToken in self._supported_integration_patterns
                or self.resource.condition != ResourceCondition.Sync):
            original(self, env, resource_runtime_part, normalised_parameters, state_credentials)
            return
        task_output = env.stack.pop()
        self.timeout.eval(env=env)
        timeout_seconds = env.stack.pop()
        env.stack.append(task_output)  # the sync resolver reads the start's answer
        sync_resolver = self._build_sync_resolver(
            env=env, resource_runtime_part=resource_runtime_part,
            normalised_parameters=normalised_parameters, state_credentials=state_credentials)
        env.stack.append(self._eval_sync(env=env, sync_resolver=sync_resolver, timeout_seconds=timeout_seconds,
                                         callback_endpoint=None, heartbeat_endpoint=None))

    _eval_integration_pattern.__without_endpoint__ = True  # type: ignore[attr-defined]
    return _eval_integration_pattern


def install() -> None:
    if getattr(StateTaskServiceCallback._eval_integration_pattern, "__without_endpoint__", False):
        return
    StateTaskServiceCallback._eval_integration_pattern = _without_endpoint(  # type: ignore[method-assign]
        StateTaskServiceCallback._eval_integration_pattern)
