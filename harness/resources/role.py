"""The state machine's own IAM role (the aws stack), allowed exactly what its definition calls."""

from __future__ import annotations

import json
import logging

from harness.aws_clients import Clients
from harness.resources.plan import ResourcePlan
from harness.resources.record import Provisioned
from harness.statemachine.definition import render_definition
from harness.statemachine.iam_policy import TRUST_POLICY, least_privilege_policy

log = logging.getLogger(__name__)

kind = "role"
gone = frozenset({"NoSuchEntity"})
POLICY_NAME = "least-privilege"
IAM_ROLE_NAME_LIMIT = 64


def role_name(plan: ResourcePlan) -> str:
    return plan.state_machine_name[:IAM_ROLE_NAME_LIMIT]


def create(clients: Clients, plan: ResourcePlan, out: Provisioned) -> str:
    """Create the role with its policy; returns its ARN."""
    spec = plan.pipeline.state_machine
    policy = least_privilege_policy(render_definition(spec.definition, out.placeholders), out.placeholders)
    name = role_name(plan)
    arn = clients.iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
        Description=f"Runs the state machine {plan.state_machine_name}; made by the acceptance suite, removed after the run",
    )["Role"]["Arn"]
    out.made(kind, name)
    clients.iam.put_role_policy(RoleName=name, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(policy))
    log.info("role %s may: %s", name, ", ".join(s["Action"] for s in policy["Statement"]))
    return str(arn)


def delete(clients: Clients, identifier: str) -> None:
    # Only the policy this run put on it; a role with anything else attached fails to delete, loudly.
    clients.iam.delete_role_policy(RoleName=identifier, PolicyName=POLICY_NAME)
    clients.iam.delete_role(RoleName=identifier)
