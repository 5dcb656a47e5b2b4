"""State machine versions: PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion.

moto keeps versions (CreateStateMachine/UpdateStateMachine with ``publish``) but its server has
no action for these three operations (HTTP 500). As the API reference documents them:
* Publish: a new version of the current revision, numbered after the latest; publishing an
  unchanged revision again returns the version already published for it (the call is
  idempotent). An unknown state machine is ``StateMachineDoesNotExist``.
* List: the versions, newest first (``stateMachineVersionArn``, ``creationDate``), paged.
* Delete: idempotent; a version an alias routes to cannot be deleted (``ConflictException``).
CreateStateMachineAlias naming a version that does not exist is ``ResourceNotFound``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.stepfunctions.exceptions import ResourceNotFound, StateMachineDoesNotExist
from moto.stepfunctions.models import StateMachine, StateMachineVersion, StepFunctionBackend
from moto.stepfunctions.parser.api import ConflictException
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine.actions import page, param, register


def _machine(backend: StepFunctionBackend, arn: str) -> StateMachine:
    backend._validate_machine_arn(arn)
    machine = next((m for m in backend.state_machines if m.arn == arn), None)
    if machine is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    return machine


def _same_revision(machine: StateMachine, version: StateMachineVersion) -> bool:
    return (version.definition, version.roleArn) == (machine.definition, machine.roleArn)


def publish_state_machine_version(self: StepFunctionResponse) -> ActionResult:
    machine = _machine(self.stepfunction_backend, param(self, "stateMachineArn"))
    latest = machine.latest_version
    if latest is None or not _same_revision(machine, latest):
        machine.publish(description=param(self, "description"))
        latest = machine.latest_version
    assert latest is not None
    return ActionResult({"creationDate": latest.creation_date, "stateMachineVersionArn": latest.arn})


def list_state_machine_versions(self: StepFunctionResponse) -> ActionResult:
    machine = _machine(self.stepfunction_backend, param(self, "stateMachineArn"))
    versions = sorted(machine.versions.values(), key=lambda v: v.version, reverse=True)
    listed, next_token = page(versions, self._get_int_param("maxResults") or 100, param(self, "nextToken"))
    response: dict[str, Any] = {"stateMachineVersions": [
        {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date} for v in listed]}
    if next_token:
        response["nextToken"] = next_token
    return ActionResult(response)


def delete_state_machine_version(self: StepFunctionResponse) -> ActionResult:
    arn = param(self, "stateMachineVersionArn")
    backend = self.stepfunction_backend
    backend._validate_machine_arn(arn)
    base_arn, _, number = arn.rpartition(":")
    machine = next((m for m in backend.state_machines if m.arn == base_arn), None)
    if machine is None or not number.isdigit() or int(number) not in machine.versions:
        return EmptyResult()
    for alias in machine.aliases.values():
        if any(r["stateMachineVersionArn"] == arn for r in alias.routing_configuration):
            raise ConflictException(f"Version to be deleted must not be referenced by an alias. "
                                    f"Current list of aliases referencing this version: [{alias.arn}]")
    del machine.versions[int(number)]
    if machine.latest_version is not None and machine.latest_version.arn == arn:
        machine.latest_version = max(machine.versions.values(), key=lambda v: v.version, default=None)
    return EmptyResult()


def _wrap_create_alias(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_state_machine_alias(self: StepFunctionBackend, name: str, routing_configuration: list[dict[str, Any]],
                                   description: str | None) -> Any:
        try:
            return original(self, name, routing_configuration, description)
        except StateMachineDoesNotExist as missing:
            raise ResourceNotFound(routing_configuration[0]["stateMachineVersionArn"]) from missing

    create_state_machine_alias.__versions__ = True  # type: ignore[attr-defined]
    return create_state_machine_alias


def install() -> None:
    register(publish_state_machine_version, list_state_machine_versions, delete_state_machine_version)
    if not getattr(StepFunctionBackend.create_state_machine_alias, "__versions__", False):
        StepFunctionBackend.create_state_machine_alias = _wrap_create_alias(  # type: ignore[method-assign]
            StepFunctionBackend.create_state_machine_alias)
