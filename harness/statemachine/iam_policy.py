"""The state machine's IAM role, with a policy for exactly the calls its definition makes.

Read from the rendered definition: each Task's service integration
(``arn:aws:states:::sqs:sendMessage.waitForTaskToken``, ``arn:aws:states:::aws-sdk:s3:getObject``)
becomes one IAM action, allowed only on the run's resources that the task names in its
parameters (the queue whose URL it sends to, the table it updates). So the policy follows the
definition, and a state that calls something new fails on AWS until the declaration covers it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from harness.statemachine import walk

INTEGRATION_PREFIX = "arn:aws:states:::"
# Integrations whose IAM action is not the API name with its first letter raised.
ACTIONS = {"lambda:invoke": "lambda:InvokeFunction", "states:startExecution.sync": "states:StartExecution"}
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def iam_action(resource: str) -> str | None:
    """``arn:aws:states:::sqs:sendMessage.waitForTaskToken`` -> ``sqs:SendMessage``."""
    if not resource.startswith(INTEGRATION_PREFIX):
        return None  # an activity or a Lambda ARN: not a service integration
    integration = resource[len(INTEGRATION_PREFIX):].removeprefix("aws-sdk:")
    if integration in ACTIONS:
        return ACTIONS[integration]
    service, api = integration.split(":", 1)
    api = api.split(".", 1)[0]  # .waitForTaskToken, .sync
    return f"{service}:{api[:1].upper()}{api[1:]}"


def _named_arns(service: str, parameters: str, placeholders: Mapping[str, str]) -> list[str]:
    """The ARNs of the run's resources of ``service`` whose URL or name the task's parameters hold."""
    arns = []
    for key, arn in placeholders.items():
        if not key.endswith("Arn") or not arn.startswith(f"arn:aws:{service}:"):
            continue
        logical = key[: -len("Arn")]
        if key.endswith("DeadLetterArn"):
            handles = [placeholders.get(f"{logical[: -len('DeadLetter')]}DeadLetterUrl", "")]
        else:
            handles = [placeholders.get(f"{logical}Url", ""), placeholders.get(f"{logical}Name", "")]
        if any(handle and json.dumps(handle) in parameters for handle in handles):
            arns.append(arn)
    return arns


def least_privilege_policy(definition: Mapping[str, Any], placeholders: Mapping[str, str]) -> dict[str, Any]:
    """One statement per action, on the resources the tasks calling it name."""
    allowed: dict[str, set[str]] = {}
    for found in walk.all_states(definition):
        state = found.state
        action = iam_action(str(state.get("Resource", ""))) if state.get("Type") == "Task" else None
        if action is None:
            continue
        service = action.split(":", 1)[0]
        parameters = json.dumps(state.get("Parameters", state.get("Arguments", {})))
        arns = _named_arns(service, parameters, placeholders)
        if not arns:
            # The target is computed at run time: allow the run's resources of that service only.
            arns = [v for k, v in placeholders.items() if k.endswith("Arn") and v.startswith(f"arn:aws:{service}:")]
        if not arns:
            raise ValueError(f"the definition calls {action}, but the run provisions no {service} resource")
        allowed.setdefault(action, set()).update(arns)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": action, "Resource": sorted(arns)} for action, arns in sorted(allowed.items())
        ],
    }
