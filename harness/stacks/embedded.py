"""The embedded stack: the emulator, helper services and apps as local processes.

Everything binds 127.0.0.1 on a port the kernel picks, and reports it on a ``READY`` line, so
two runs on one machine never collide and no port is guessed.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from harness.aws_clients import AwsTarget, Clients
from harness.processes import ManagedProcess
from harness.provisioning import preflight, provision
from harness.pipeline import ProcessSpec
from harness.stacks.base import Stack

log = logging.getLogger(__name__)

# The utilities app's backoff between SEC API retries at real timings, unless a setting says
# otherwise (see workers/sec_client.py).
SEC_API_BACKOFF_SECONDS = "0.5"


class EmbeddedStack(Stack):
    name = "embedded"

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.emulator: ManagedProcess | None = None
        self.services: dict[str, ManagedProcess] = {}
        self.apps: dict[str, ManagedProcess] = {}
        self.timings: dict[str, float] = {}

    @property
    def log_dir(self) -> Path:
        return self.settings.reports_dir / "logs"

    def _base_env(self) -> dict[str, str]:
        # Every setting, from .env and userdata too, so the apps see what the run was given;
        # secrets reach a process only where the declaration says it needs them.
        env = dict(self.settings.values)
        for secret in self.pipeline.secrets:
            env.pop(secret.value_from, None)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self.settings.project_dir), env.get("PYTHONPATH", "")) if p
        )
        return env

    def _process(self, name: str, module: str, args: tuple[str, ...], env: dict[str, str]) -> ManagedProcess:
        return ManagedProcess(
            name,
            [sys.executable, "-m", module, *args],
            env=env,
            log_path=self.log_dir / f"{name}.log",
            cwd=self.settings.project_dir,
        )

    def _start(self) -> None:
        began = time.monotonic()
        preflight(self.pipeline)
        timeout = self.settings.startup_timeout

        self.emulator = self._process("emulator", "harness.emulator", ("--port", "0"), self._emulator_env())
        self.emulator.start()
        endpoint = self.emulator.wait_ready(timeout)
        self.timings["emulator_ready_s"] = time.monotonic() - began
        target = AwsTarget(self.settings.region, endpoint)
        self.clients = Clients(target)

        self.provisioned = provision(self.clients, self.settings, self.pipeline)
        self.timings["provisioned_s"] = time.monotonic() - began

        for spec in self.pipeline.services:
            self._start_service(spec)

        for spec in self.pipeline.apps:
            self.apps[spec.name] = self._process(spec.name, spec.module, spec.args, self._app_env(spec))
            self.apps[spec.name].start()
        for app in self.apps.values():
            app.wait_ready(timeout)
        self.timings["ready_s"] = time.monotonic() - began
        log.info("embedded stack ready in %.2f s at %s", self.timings["ready_s"], endpoint)

    def _emulator_env(self) -> dict[str, str]:
        env = self._base_env()
        # An engine without time scaling ignores this; one with it scales Wait, Retry and timeouts.
        env["SFN_TIME_SCALE"] = str(self.settings.time_scale)
        return env

    def _start_service(self, spec: ProcessSpec) -> None:
        given = self.settings.get(spec.endpoint_setting) if spec.endpoint_setting else None
        if given:
            log.info("using %s at %s instead of starting %s", spec.endpoint_setting, given, spec.name)
            self.service_endpoints[spec.name] = given
            return
        env = self._base_env()
        for variable, secret in spec.secret_env.items():
            env[variable] = self.provisioned.secret_values[secret]
        process = self._process(spec.name, spec.module, spec.args, env)
        self.services[spec.name] = process
        process.start()
        self.service_endpoints[spec.name] = process.wait_ready(self.settings.startup_timeout)

    def _app_env(self, spec: ProcessSpec) -> dict[str, str]:
        env = self._base_env()
        env.update(self.aws.target.app_environment())
        env.update(self.provisioned.app_env)
        for service in self.pipeline.services:
            if service.endpoint_setting:
                env[service.endpoint_setting] = self.service_endpoints[service.name]
        env["POLL_WAIT_SECONDS"] = str(self.settings.poll_wait_seconds)
        # Scaled with the engine's HeartbeatSeconds, so a healthy app always beats in time.
        env["HEARTBEAT_INTERVAL_SECONDS"] = str(self.settings.scaled(self.settings.heartbeat_interval))
        backoff = float(self.settings.get("SEC_API_BACKOFF_SECONDS", SEC_API_BACKOFF_SECONDS) or SEC_API_BACKOFF_SECONDS)
        env["SEC_API_BACKOFF_SECONDS"] = str(self.settings.scaled(backoff))
        env["APP_NAME"] = spec.name
        return env

    def _stop(self) -> None:
        # Apps first, all signalled before any is awaited, so they finish their tasks together.
        for group in (list(self.apps.values()), list(self.services.values())):
            for process in group:
                process.terminate()
            for process in group:
                process.stop()
        if self.emulator is not None:
            self.emulator.stop()
        log.info("embedded stack stopped")

    def _app(self, name: str) -> ManagedProcess:
        if name not in self.apps:
            raise KeyError(f"no app named {name!r}; apps: {', '.join(self.apps)}")
        return self.apps[name]

    def stop_app(self, name: str) -> None:
        self._app(name).stop()

    def kill_app(self, name: str) -> None:
        self._app(name).kill()

    def start_app(self, name: str) -> None:
        app = self._app(name)
        if not app.running:
            app.start()
            app.wait_ready(self.settings.startup_timeout)

    def restart_app(self, name: str, faults: Mapping[str, str] | None = None) -> None:
        app = self._app(name)
        app.stop()
        app.env = self._app_env(self.pipeline.app(name))
        app.env.update(faults or {})
        app.start()
        app.wait_ready(self.settings.startup_timeout)

    def app_pid(self, name: str) -> int | None:
        app = self._app(name)
        return app.pid if app.running else None

    def app_output(self, name: str) -> str:
        return self._app(name).output()

    def app_log_tail(self, name: str, lines: int = 20) -> str:
        return self._app(name).tail(lines)
