"""The state machine: deployed from the definition with its placeholders filled."""

from __future__ import annotations

import json
import logging

from harness.aws_clients import Clients
from harness.resources.plan import STATE_MACHINE_ENV, ResourcePlan
from harness.resources.record import Provisioned
from harness.statemachine.definition import render_definition

log = logging.getLogger(__name__)

kind = "state_machine"
gone = frozenset({"StateMachineDoesNotExist"})


def find_arn(clients: Clients, name: str) -> str | None:
    for page in clients.stepfunctions.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                return str(machine["stateMachineArn"])
    return None


def deploy(clients: Clients, plan: ResourcePlan, out: Provisioned, role_arn: str | None = None) -> None:
    """Create or update the state machine; ``role_arn`` replaces the declared role (the aws stack's own)."""
    spec = plan.pipeline.state_machine
    definition = json.dumps(render_definition(spec.definition, out.placeholders))
    name = plan.state_machine_name
    out.app_env[STATE_MACHINE_ENV] = name
    sfn = clients.stepfunctions
    role = role_arn or spec.role_arn
    arn = find_arn(clients, name)
    if arn:
        sfn.update_state_machine(stateMachineArn=arn, definition=definition, roleArn=role)
    else:
        arn = sfn.create_state_machine(name=name, definition=definition, roleArn=role)["stateMachineArn"]
        out.made(kind, arn)
    out.state_machine_arn = arn
    log.info("deployed state machine %s", arn)


def discover(clients: Clients, plan: ResourcePlan, out: Provisioned) -> None:
    name = plan.state_machine_name
    out.app_env[STATE_MACHINE_ENV] = name
    arn = find_arn(clients, name)
    if arn is None:
        raise LookupError(f"no state machine named {name!r}: has the stack been provisioned?")
    out.state_machine_arn = arn


def delete(clients: Clients, identifier: str) -> None:
    clients.stepfunctions.delete_state_machine(stateMachineArn=identifier)
