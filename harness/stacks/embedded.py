"""The embedded stack: the emulator, helper services and apps as local processes.

Everything binds 127.0.0.1 on a port the kernel picks, and reports it on a ``READY`` line, so
two runs on one machine never collide and no port is guessed.

A run split across processes (``harness/behave/parallel.py``) starts one emulator for all of
them and gives each its endpoint and log (``EMULATOR_ENDPOINT``, ``EMULATOR_LOG``): a stack so
given starts no emulator of its own, provisions its resources there under its own prefix, and
runs its own helper services and apps, which are what a fault scenario crashes, freezes or
makes fail. Its resources are its own, as on one AWS account shared by several runs.
"""

from __future__ import annotations

import logging
import sys
import time

from pathlib import Path

from harness.aws_clients import AwsTarget, Clients
from harness.pipeline import Pipeline
from harness.resources.provisioning import provision
from harness.resources.record import Provisioned
from harness.settings import Settings
from harness.stacks import client_models
from harness.stacks.launch import without_secrets
from harness.stacks.local_processes import LocalProcesses
from harness.stacks.processes import ManagedProcess

log = logging.getLogger(__name__)

SHARED_EMULATOR = "EMULATOR_ENDPOINT"
SHARED_EMULATOR_LOG = "EMULATOR_LOG"


def emulator_process(settings: Settings, pipeline: Pipeline, log_path: Path) -> ManagedProcess:
    """``python -m harness.stacks.emulator`` on a free port, with the run's settings (no secret)."""
    env = without_secrets(settings, pipeline)
    env["PYTHONUNBUFFERED"] = "1"
    # The engine scales Wait, Retry and timeouts by this; the history keeps AWS's values.
    env["SFN_TIME_SCALE"] = str(settings.time_scale)
    argv = [sys.executable, "-m", "harness.stacks.emulator", "--port", "0"]
    return ManagedProcess("emulator", argv, env=env, log_path=log_path, cwd=settings.project_dir)


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

        # The emulator starts first and alone: it is on the critical path (resources, then apps),
        # and on two cores the app zygote and the helper services loading beside it held its
        # start back by 0.1-0.5 s (bench/README.md). They load once it answers, while it
        # provisions, and are ready by the time the resources exist; the apps start once their
        # resources exist (docs/app-contract.md).
        shared = self.settings.get(SHARED_EMULATOR)
        if not shared:
            self.emulator = emulator_process(self.settings, self.pipeline, self.log_dir / "emulator.log")
            self.emulator.start()
        # While the emulator loads, this process would only wait: it reads boto3's models instead.
        models = client_models.preload(self.settings.region)
        self.provisioned = Provisioned(secret_values=plan.secret_values(self.settings))
        self.provisioned.app_env.update(plan.app_env())
        if self.emulator is not None:
            endpoint = self.emulator.wait_ready(timeout)
        else:
            endpoint = str(shared)
            log.info("using the emulator at %s, shared with the other processes of the run", endpoint)
        self.timings["emulator_ready_s"] = time.monotonic() - began
        self._start_app_zygote()
        self._launch_services()
        # A head start only: the thread never holds the stack up for long.
        models.join(client_models.JOIN_SECONDS)
        self.clients = Clients(AwsTarget(self.settings.region, endpoint))

        provision(self.clients, self.settings, plan, out=self.provisioned)
        self.timings["provisioned_s"] = time.monotonic() - began
        self._wait_services_ready()
        self._start_apps()
        self.timings["ready_s"] = time.monotonic() - began
        log.info("embedded stack ready in %.2f s at %s (emulator %.2f s, resources %.2f s)", self.timings["ready_s"],
                 endpoint, self.timings["emulator_ready_s"], self.timings["provisioned_s"])

    def _needed(self) -> list[ManagedProcess]:
        return ([self.emulator] if self.emulator is not None else []) + super()._needed()

    def log_files(self) -> list[Path]:
        shared = self.settings.get(SHARED_EMULATOR_LOG)
        own = [self.emulator.log_path] if self.emulator is not None else []
        return own + ([Path(shared)] if shared and self.emulator is None else []) + super().log_files()

    def _stop(self) -> None:
        self._stop_services_and_apps()
        if self.emulator is not None:
            self.emulator.stop()
        log.info("embedded stack stopped")
