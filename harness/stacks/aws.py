"""The aws stack: the pipeline on real AWS services, the apps on the tester's machine.

No emulator and no endpoint override: boto3's own credential chain, region and endpoints, for
the harness and the apps alike. The resources of ``pipeline.json`` (the same declaration the
local stacks use) are created under a prefix of their own for the run, ``RESOURCE_PREFIX`` plus
a random suffix, with an IAM role for the state machine that may do exactly what its definition
calls. At the end (also after a failure, a Ctrl-C or a SIGTERM) exactly what the run recorded it
created is deleted; a journal of it is kept until then for ``python -m harness cleanup``.
A helper service is the real one only when its endpoint setting is given, else the local stand-in.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import time
from pathlib import Path

from botocore.exceptions import ClientError

from harness.aws_clients import AwsTarget, Clients
from harness.resources import role, state_machine, status_rule
from harness.resources.provisioning import deprovision, provision_resources
from harness.stacks.aws_guard import check_account, check_confirmation, check_prefix_unused, plan_text
from harness.stacks.local_processes import LocalProcesses
from harness.waiting import DeadlineExceeded, wait_until

log = logging.getLogger(__name__)

# A new IAM role takes seconds before Step Functions may assume it.
ROLE_PROPAGATION_SECONDS = 60.0
_ROLE_NOT_YET_ASSUMABLE = {"AccessDeniedException", "InvalidArn"}


def run_prefix(base: str) -> str:
    """``RESOURCE_PREFIX`` plus a short random suffix: this run's names, and no one else's."""
    return f"{base}-{secrets.token_hex(3)}"


class AwsStack(LocalProcesses):
    name = "aws"
    # Its apps are local processes; its Step Functions is AWS's, with real timings and no mocks.
    supports = frozenset({"app_faults", "app_control", "app_resume"})

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Everything after this sees the run's own prefix: provisioning, the plan, the apps.
        values = {**self.settings.values, "RESOURCE_PREFIX": run_prefix(self.settings.resource_prefix)}
        self.settings = dataclasses.replace(self.settings, resource_prefix=values["RESOURCE_PREFIX"], values=values)
        self.timings: dict[str, float] = {}
        self.leftovers: list[str] = []

    @property
    def journal(self) -> Path:
        return self.settings.reports_dir / f"aws-created-{self.settings.resource_prefix}.jsonl"

    def _start(self) -> None:
        began = time.monotonic()
        check_confirmation(self.settings)
        plan = self.plan
        plan.preflight()
        # The apps' zygote loads boto3 and the models while provisioning goes on; they fork later.
        self._start_app_zygote()
        self.clients = Clients(AwsTarget(self.settings.region, None))
        account = check_account(self.settings, self.clients)
        check_prefix_unused(self.settings, self.clients)
        print(plan_text(self.settings, plan, account), flush=True)

        # Held by the stack before the first create, so a failure half-way deletes what was made.
        self.provisioned.journal = self.journal
        provision_resources(self.clients, self.settings, plan, self.provisioned)
        role_arn = role.create(self.clients, plan, self.provisioned)
        self._deploy_when_role_assumable(role_arn)
        status_rule.deploy(self.clients, plan, self.provisioned)
        self.timings["provisioned_s"] = time.monotonic() - began

        self._launch_services()
        self._wait_services_ready()
        self._start_apps()
        self.timings["ready_s"] = time.monotonic() - began
        log.info("aws stack %s ready in %.2f s", self.settings.resource_prefix, self.timings["ready_s"])

    def _deploy_when_role_assumable(self, role_arn: str) -> None:
        last: list[str] = []

        def deployed() -> bool:
            try:
                state_machine.deploy(self.clients, self.plan, self.provisioned, role_arn)
                return True
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code not in _ROLE_NOT_YET_ASSUMABLE:
                    raise
                last[:] = [str(exc)]
                return False

        try:
            wait_until(
                deployed,
                timeout=ROLE_PROPAGATION_SECONDS,
                awaited=f"Step Functions to accept the new role {role_arn}",
                interval=2.0,
                describe_last=lambda: last[0] if last else "",
            )
        except DeadlineExceeded as exc:
            raise RuntimeError(str(exc)) from None

    def _stop(self) -> None:
        self._stop_services_and_apps()
        if self.clients is None or not self.provisioned.created:
            return
        self.leftovers = deprovision(self.clients, self.provisioned.created)
        if self.leftovers:
            log.error(
                "the aws stack could not delete %d resource(s):\n  %s\nretry with: python -m harness cleanup %s",
                len(self.leftovers), "\n  ".join(self.leftovers), self.journal,
            )
            return
        self.journal.unlink(missing_ok=True)
        log.info("aws stack %s: every resource it created is deleted", self.settings.resource_prefix)
