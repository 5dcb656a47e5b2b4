"""StartExecution as AWS documents it: an unnamed execution gets a UUID; versions and aliases start too.

* ``name`` is optional (API reference, StartExecution): "If you don't provide a name for the
  execution, Step Functions automatically generates a universally unique identifier (UUID)".
  moto named the execution ``None``, so a second unnamed start failed with
  ExecutionAlreadyExists.
* ``stateMachineArn`` may name a version (``...:stateMachine:NAME:3``) or an alias
  (``...:stateMachine:NAME:ALIAS``): the execution runs that version (an alias picks one of its
  routing versions by weight) and belongs to the state machine, so DescribeExecution and
  ListExecutions of the state machine find it, with ``stateMachineVersionArn`` and
  ``stateMachineAliasArn`` naming what was started. moto looked an alias up as a state machine
  (StateMachineDoesNotExist) and filed a version's execution where no lookup finds it.
"""

from __future__ import annotations

import functools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.stepfunctions.exceptions import StateMachineDoesNotExist
from moto.stepfunctions.models import StateMachine
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.models import StepFunctionsParserBackend


@dataclass(frozen=True)
class StartTarget:
    """What a StartExecution ARN names: the state machine, and the version and alias if any."""

    machine: StateMachine
    run_arn: str  # the ARN whose definition runs: the machine's, or a version's
    version_arn: str | None = None
    alias_arn: str | None = None


def resolve_start_target(backend: StepFunctionsParserBackend, arn: str) -> StartTarget:
    """The state machine, version or alias ``arn`` names; StateMachineDoesNotExist if none."""
    backend._validate_machine_arn(arn)
    parts = arn.split(":")
    if len(parts) <= 7:
        machine = backend.describe_state_machine(arn)
        return StartTarget(machine, machine.arn)
    base_arn, qualifier = ":".join(parts[:7]), parts[7]
    machine = next((m for m in backend.state_machines if m.arn == base_arn), None)
    if machine is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    if qualifier.isdigit():
        if int(qualifier) not in machine.versions:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        return StartTarget(machine, arn, version_arn=arn)
    alias = machine.aliases.get(qualifier)
    if alias is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    routes = alias.routing_configuration
    chosen = random.choices([r["stateMachineVersionArn"] for r in routes], [r["weight"] for r in routes])[0]
    return StartTarget(machine, chosen, version_arn=chosen, alias_arn=arn)


StartExecution = Callable[..., Execution]


def _wrap_start_execution(original: StartExecution) -> StartExecution:
    @functools.wraps(original)
    def start_execution(self: StepFunctionsParserBackend, state_machine_arn: str, name: str | None = None,
                        *args: Any, **kwargs: Any) -> Execution:
        if name:
            self._validate_name(name)
        else:
            name = str(uuid.uuid4())
        # A mock test case (``ARN#Case``) is split off by the mocked-executions wrapper outside this one.
        target = resolve_start_target(self, state_machine_arn)
        if target.run_arn == target.machine.arn:
            return original(self, state_machine_arn, name, *args, **kwargs)
        execution_input = args[0] if args else kwargs.get("execution_input")
        existing = target.machine._handle_name_input_idempotency(name, execution_input)
        if existing is not None:
            return existing
        version = self.describe_state_machine(target.run_arn)
        execution = original(self, target.run_arn, name, *args, **kwargs)
        # Filed under the state machine, as AWS lists it; the version keeps none.
        if execution in version.executions:
            version.executions.remove(execution)
            target.machine.executions.append(execution)
        execution.state_machine_arn = target.machine.arn
        execution.state_machine_version_arn = target.version_arn  # type: ignore[attr-defined]
        execution.state_machine_alias_arn = target.alias_arn  # type: ignore[attr-defined]
        return execution

    start_execution.__execution_start__ = True  # type: ignore[attr-defined]
    return start_execution


def install() -> None:
    if getattr(StepFunctionsParserBackend.start_execution, "__execution_start__", False):
        return
    StepFunctionsParserBackend.start_execution = _wrap_start_execution(  # type: ignore[method-assign]
        StepFunctionsParserBackend.start_execution)
