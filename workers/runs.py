"""The pipeline's runs in Step Functions: the state machine the apps were given, and the ARN of
the run of a request, which is named after its request id (workers/dispatcher.py)."""

from __future__ import annotations

import os
from typing import Any

from workers import aws, startup


def state_machine_arn(sfn: Any) -> str:
    """``STATE_MACHINE_ARN`` if given, else the ARN of the machine named ``STATE_MACHINE_NAME``."""
    given = os.environ.get("STATE_MACHINE_ARN")
    if given:
        return given
    name = aws.required_env("STATE_MACHINE_NAME")

    def find() -> str | None:
        for page in sfn.get_paginator("list_state_machines").paginate():
            for machine in page["stateMachines"]:
                if machine["name"] == name:
                    return str(machine["stateMachineArn"])
        return None

    return startup.wait_for(find, f"state machine {name}")


def execution_arn(machine_arn: str, name: str) -> str:
    return f"{machine_arn.replace(':stateMachine:', ':execution:', 1)}:{name}"


def is_execution_of(machine_arn: str, arn: str) -> bool:
    """Whether ``arn`` names an execution of that state machine (and not of another)."""
    prefix = execution_arn(machine_arn, "")
    return arn.startswith(prefix) and ":" not in arn[len(prefix):] and len(arn) > len(prefix)
