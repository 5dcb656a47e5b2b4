"""The state machine's status change rule: an EventBridge rule that sends the "Step Functions
Execution Status Change" events of its executions, for the declared statuses, to a declared queue.

Made once the state machine exists (its pattern names the machine's ARN), with the queue's
policy letting EventBridge send to it, as on AWS; deleted with the run's other resources.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from harness.aws_clients import Clients
from harness.resources.plan import ResourcePlan
from harness.resources.record import Provisioned

log = logging.getLogger(__name__)

kind = "event_rule"
gone = frozenset({"ResourceNotFoundException"})
TARGET_ID = "status-changes"
RULE_NAME_LIMIT = 64
SOURCE = "aws.states"
DETAIL_TYPE = "Step Functions Execution Status Change"


def rule_name(plan: ResourcePlan) -> str:
    return f"{plan.state_machine_name}-status"[:RULE_NAME_LIMIT]


def event_pattern(state_machine_arn: str, statuses: tuple[str, ...]) -> dict[str, Any]:
    return {
        "source": [SOURCE],
        "detail-type": [DETAIL_TYPE],
        "detail": {"stateMachineArn": [state_machine_arn], "status": list(statuses)},
    }


def queue_policy(queue_arn: str, rule_arn: str) -> dict[str, Any]:
    """EventBridge may send to the queue for this rule only."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "status-changes",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
        }],
    }


def _exists(clients: Clients, name: str) -> bool:
    return any(rule["Name"] == name for rule in clients.events.list_rules(NamePrefix=name).get("Rules", []))


def deploy(clients: Clients, plan: ResourcePlan, out: Provisioned) -> None:
    """Create (or bring up to date) the rule, its target and the queue's policy; nothing if none is declared."""
    spec = plan.pipeline.state_machine.status_changes
    if spec is None:
        return
    name = rule_name(plan)
    existed = _exists(clients, name)
    rule_arn = clients.events.put_rule(
        Name=name,
        EventPattern=json.dumps(event_pattern(out.state_machine_arn, spec.statuses)),
        State="ENABLED",
        Description=f"{', '.join(spec.statuses)} executions of {plan.state_machine_name} to {spec.queue}",
    )["RuleArn"]
    if not existed:
        out.made(kind, name)
    queue_arn, queue_url = out.placeholders[f"{spec.queue}Arn"], out.placeholders[f"{spec.queue}Url"]
    clients.sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(queue_policy(queue_arn, rule_arn))})
    clients.events.put_targets(Rule=name, Targets=[{"Id": TARGET_ID, "Arn": queue_arn}])
    log.info("rule %s sends %s executions of %s to %s", name, "/".join(spec.statuses), plan.state_machine_name, spec.queue)


def plan_lines(plan: ResourcePlan) -> list[str]:
    spec = plan.pipeline.state_machine.status_changes
    if spec is None:
        return []
    return [f"EventBridge rule {rule_name(plan)} ({'/'.join(spec.statuses)} executions to {spec.queue})"]


def delete(clients: Clients, identifier: str) -> None:
    clients.events.remove_targets(Rule=identifier, Ids=[TARGET_ID])
    clients.events.delete_rule(Name=identifier)
