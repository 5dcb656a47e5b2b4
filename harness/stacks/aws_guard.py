"""The guard in front of the aws stack: nothing is created on an account by accident.

A run on real AWS costs money and makes resources in someone's account, so it starts only when
the user said so for this run (``AWS_STACK_CONFIRM=yes``) and the credentials boto3 found belong
to an account the user listed (``AWS_ACCOUNT_ALLOWLIST``, comma-separated ids), as
``sts get-caller-identity`` says. It also prints the plan before anything is made.
"""

from __future__ import annotations

from harness.aws_clients import Clients
from harness.resources.plan import ResourcePlan
from harness.resources import status_rule
from harness.resources.role import role_name
from harness.settings import Settings


class GuardRefused(RuntimeError):
    """The aws stack may not start: the message says which setting is missing or wrong."""


def allowed_accounts(settings: Settings) -> set[str]:
    raw = settings.get("AWS_ACCOUNT_ALLOWLIST") or ""
    return {account.strip() for account in raw.split(",") if account.strip()}


def check_confirmation(settings: Settings) -> None:
    """Checked before any AWS call."""
    if (settings.get("AWS_STACK_CONFIRM") or "").lower() != "yes":
        raise GuardRefused(
            "the aws stack creates billable resources in a real AWS account: "
            "set AWS_STACK_CONFIRM=yes to confirm, for this run"
        )
    if not allowed_accounts(settings):
        raise GuardRefused("set AWS_ACCOUNT_ALLOWLIST to the account id(s) this suite may create resources in")


def check_account(settings: Settings, clients: Clients) -> str:
    """The account the credentials belong to, if it is on the allow-list."""
    identity = clients.sts.get_caller_identity()
    account = str(identity["Account"])
    if account not in allowed_accounts(settings):
        raise GuardRefused(
            f"the credentials belong to account {account} ({identity['Arn']}), "
            f"which is not in AWS_ACCOUNT_ALLOWLIST"
        )
    return account


def plan_text(settings: Settings, plan: ResourcePlan, account: str) -> str:
    """What the run will create, one line each, for the console before anything is made."""
    lines = [f"The aws stack will create in account {account}, region {settings.region}:"]
    lines += [f"  {line}" for line in plan.lines()]
    lines.append(f"  IAM role         {role_name(plan)} (least privilege, for the state machine)")
    lines.append(f"  state machine    {plan.state_machine_name} (standard)")
    lines += [f"  {line}" for line in status_rule.plan_lines(plan)]
    lines.append("and delete them all at the end of the run.")
    return "\n".join(lines)


def check_prefix_unused(settings: Settings, clients: Clients) -> None:
    """Refuse a prefix that already names a queue: those would be reused, not created, by this run."""
    taken = clients.sqs.list_queues(QueueNamePrefix=settings.resource_prefix).get("QueueUrls", [])
    if taken:
        raise GuardRefused(f"queues named {settings.resource_prefix}* already exist ({len(taken)}): pick another prefix")
