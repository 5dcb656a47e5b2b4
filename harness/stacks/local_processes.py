"""The helper services and apps as local processes: shared by every stack that runs them here.

The embedded stack runs them beside the emulator; the aws stack runs them on the tester's
machine against the real services. Either way each process gets the run's settings, the
provisioned names, the endpoints of the helper services, and only the secrets it is declared to
need; and each is stopped at the end, apps first.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from pathlib import Path

from harness.pipeline import ProcessSpec
from harness.stacks.base import Stack
from harness.stacks.processes import ManagedProcess

log = logging.getLogger(__name__)

# The utilities app's backoff between SEC API retries at real timings, unless a setting says
# otherwise (see workers/sec_client.py).
SEC_API_BACKOFF_SECONDS = "0.5"


class LocalProcesses(Stack):
    """A stack whose helper services and apps run as processes of this machine."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.services: dict[str, ManagedProcess] = {}
        self.apps: dict[str, ManagedProcess] = {}

    @property
    def log_dir(self) -> Path:
        return self.settings.reports_dir / "logs"

    def _base_env(self) -> dict[str, str]:
        env = self.settings_env()
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def _process(self, name: str, module: str, args: tuple[str, ...], env: dict[str, str]) -> ManagedProcess:
        return ManagedProcess(
            name,
            [sys.executable, "-m", module, *args],
            env=env,
            log_path=self.log_dir / f"{name}.log",
            cwd=self.settings.project_dir,
        )

    def _start_services_and_apps(self) -> None:
        self._launch_services_and_apps()
        self._wait_apps_ready()

    def _launch_services_and_apps(self) -> None:
        """Start the helper services (each awaited: the apps need their endpoints), then the apps."""
        for spec in self.pipeline.services:
            self._start_service(spec)
        for spec in self.pipeline.apps:
            self.apps[spec.name] = self._process(spec.name, spec.module, spec.args, self._app_env(spec))
            self.apps[spec.name].start()

    def _wait_apps_ready(self) -> None:
        for app in self.apps.values():
            app.wait_ready(self.settings.startup_timeout)

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
        # What an operator's command gets, and what only a running app needs on top.
        env = self.operator_env()
        env["PYTHONUNBUFFERED"] = "1"
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

    def _stop_services_and_apps(self) -> None:
        # Apps first, all signalled before any is awaited, so they finish their tasks together.
        for group in (list(self.apps.values()), list(self.services.values())):
            for process in group:
                process.terminate()
            for process in group:
                process.stop()

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
        """Restart an app, with fault settings in its environment for this run of it."""
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
