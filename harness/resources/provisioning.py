"""Creates the planned resources with boto3, then deploys the state machine; finds them on a stack
another process provisioned; deletes exactly what a run created.

Idempotent: running it against a stack that already has the resources converges on the
declaration (a restarted compose stack, a second ``up``).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.resources import role, state_machine, status_rule
from harness.resources.kind import error_code
from harness.resources.kinds import KINDS
from harness.resources.plan import ResourcePlan
from harness.resources.record import Created, Provisioned
from harness.settings import Settings

log = logging.getLogger(__name__)

_BY_KIND = {kind.kind: kind for kind in (*KINDS, state_machine, status_rule, role)}


# Resources do not depend on one another (a queue's dead-letter queue is made by the queue's own
# creation), so each is made on its own thread: the round-trips overlap instead of adding up.
MAX_PARALLEL_CREATIONS = 8


def provision_resources(clients: Clients, settings: Settings, plan: ResourcePlan, out: Provisioned) -> None:
    """Everything but the state machine: what its definition's placeholders are filled from.

    Every creation is let finish (so ``out`` records all that was made) before the first error,
    in declaration order, is raised.
    """
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL_CREATIONS, thread_name_prefix="provision") as pool:
        creations = [pool.submit(kind.create, clients, settings, planned, out) for kind, planned in plan.resources]
    for creation in creations:
        creation.result()


def provision(clients: Clients, settings: Settings, plan: ResourcePlan, out: Provisioned | None = None) -> Provisioned:
    """Create the resources and deploy; pass ``out`` to keep the record of what was made if this fails half-way."""
    out = Provisioned() if out is None else out
    provision_resources(clients, settings, plan, out)
    state_machine.deploy(clients, plan, out)
    status_rule.deploy(clients, plan, out)
    return out


def discover(clients: Clients, plan: ResourcePlan) -> Provisioned:
    """Read what another process provisioned (the compose stack's one-shot job): create nothing."""
    out = Provisioned()
    for kind, planned in plan.resources:
        kind.discover(clients, planned, out)
    state_machine.discover(clients, plan, out)
    return out


def deprovision(clients: Clients, created: list[Created]) -> list[str]:
    """Delete exactly what a run recorded it created, newest first; return what could not be deleted.

    Never raises for one resource: the others are still deleted, and what is left is named.
    """
    failures = []
    for resource in reversed(created):
        kind = _BY_KIND.get(resource.kind)
        if kind is None:
            failures.append(f"{resource.kind} {resource.identifier}: unknown kind")
            continue
        try:
            kind.delete(clients, resource.identifier)
            log.info("deleted %s %s", resource.kind, resource.identifier)
        except ClientError as exc:
            if error_code(exc) in kind.gone:
                continue
            failures.append(f"{resource.kind} {resource.identifier}: {error_code(exc)}: {exc}")
        except Exception as exc:  # noqa: BLE001 - keep deleting the rest; the failure is reported
            failures.append(f"{resource.kind} {resource.identifier}: {type(exc).__name__}: {exc}")
    return failures
