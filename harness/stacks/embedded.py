"""The embedded stack: the emulator, helper services and apps as local processes.

Everything binds 127.0.0.1 on a port the kernel picks, and reports it on a ``READY`` line, so
two runs on one machine never collide and no port is guessed.
"""

from __future__ import annotations

import logging
import sys
import time

from harness.aws_clients import AwsTarget, Clients
from harness.resources.provisioning import provision
from harness.resources.record import Provisioned
from harness.stacks import client_models
from harness.stacks.local_processes import LocalProcesses
from harness.stacks.processes import ManagedProcess

log = logging.getLogger(__name__)


class EmbeddedStack(LocalProcesses):
    name = "embedded"
    # The emulator (harness/engine/) scales time and mocks integrations; apps are local processes.
    supports = frozenset({"app_faults", "app_control", "app_resume", "time_scale", "mocked_integrations"})

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.emulator: ManagedProcess | None = None
        self.timings: dict[str, float] = {}

    def _start(self) -> None:
        began = time.monotonic()
        plan = self.plan
        plan.preflight()
        timeout = self.settings.startup_timeout

        # What can start at once does: the emulator and the helper services (they need only
        # their secrets' values, chosen now) load together; the apps start once their
        # resources exist (docs/app-contract.md).
        argv = [sys.executable, "-m", "harness.stacks.emulator", "--port", "0"]
        self.emulator = self._process("emulator", argv, self._emulator_env())
        self.emulator.start()
        self._preload_apps()
        # While the emulator loads, this process would only wait: it reads boto3's models instead.
        models = client_models.preload(self.settings.region)
        self.provisioned = Provisioned(secret_values=plan.secret_values(self.settings))
        self.provisioned.app_env.update(plan.app_env())
        self._launch_services()
        endpoint = self.emulator.wait_ready(timeout)
        self.timings["emulator_ready_s"] = time.monotonic() - began
        models.join()
        self.clients = Clients(AwsTarget(self.settings.region, endpoint))

        provision(self.clients, self.settings, plan, out=self.provisioned)
        self.timings["provisioned_s"] = time.monotonic() - began
        self._wait_services_ready()
        self._start_apps()
        self.timings["ready_s"] = time.monotonic() - began
        log.info("embedded stack ready in %.2f s at %s", self.timings["ready_s"], endpoint)

    def _needed(self) -> list[ManagedProcess]:
        return ([self.emulator] if self.emulator is not None else []) + super()._needed()

    def _emulator_env(self) -> dict[str, str]:
        env = self.settings_env()
        env["PYTHONUNBUFFERED"] = "1"
        # The engine scales Wait, Retry and timeouts by this; the history keeps AWS's values.
        env["SFN_TIME_SCALE"] = str(self.settings.time_scale)
        return env

    def _stop(self) -> None:
        self._stop_services_and_apps()
        if self.emulator is not None:
            self.emulator.stop()
        log.info("embedded stack stopped")
