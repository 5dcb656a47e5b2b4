"""The helper services and apps as local processes: shared by every stack that runs them here.

The embedded stack runs them beside the emulator; the aws stack runs them on the tester's
machine against the real services. Either way each process gets what ``launch`` gives it, and
each is stopped at the end, apps first. Helper services may start early (they need only their
secrets' values); apps start once their resources exist, each forked from the stack's app zygote,
which loads boto3 and the services' models while the rest of the stack starts
(harness/stacks/zygote.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from harness.pipeline import ProcessSpec
from harness.stacks.base import Stack
from harness.stacks.client_models import PROVISIONING_SERVICES
from harness.stacks.forked import AppZygote
from harness.stacks.launch import app_argv, app_env, service_argv
from harness.stacks.processes import ManagedProcess, free_port, wait_http

log = logging.getLogger(__name__)


class LocalProcesses(Stack):
    """A stack whose helper services and apps run as processes of this machine."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.services: dict[str, ManagedProcess] = {}
        self.apps: dict[str, ManagedProcess] = {}
        self.zygote: AppZygote | None = None

    @property
    def log_dir(self) -> Path:
        return self.settings.reports_dir / "logs"

    def _process(self, name: str, argv: list[str], env: dict[str, str], zygote: AppZygote | None = None) -> ManagedProcess:
        return ManagedProcess(name, argv, env=env, log_path=self.log_dir / f"{name}.log", cwd=self.settings.project_dir,
                              zygote=zygote)

    def _launch_services(self) -> None:
        """Start the helper services without waiting for them (``_wait_services_ready``)."""
        for spec in self.pipeline.services:
            given = self.settings.get(spec.endpoint_setting) if spec.endpoint_setting else None
            if given:
                log.info("using %s at %s instead of starting %s", spec.endpoint_setting, given, spec.name)
                self.service_endpoints[spec.name] = given
                continue
            env = self.settings_env()
            env["PYTHONUNBUFFERED"] = "1"
            for variable, secret in spec.secret_env.items():
                env[variable] = self.provisioned.secret_values[secret]
            # A service that says where it listens is given port 0; else a free port is picked.
            port = 0 if spec.ready_line else free_port()
            process = self._process(spec.name, service_argv(spec, "127.0.0.1", port), env)
            self.services[spec.name] = process
            process.start()
            if not spec.ready_line:
                self.service_endpoints[spec.name] = f"http://127.0.0.1:{port}"

    def _wait_services_ready(self) -> None:
        timeout = self.settings.startup_timeout
        for spec in self.pipeline.services:
            process = self.services.get(spec.name)
            if process is None:
                continue
            if spec.ready_line:
                self.service_endpoints[spec.name] = process.wait_ready(timeout, spec.ready_line)
            else:
                wait_http(process, self.service_endpoints[spec.name] + spec.health_path, timeout)

    def _start_app_zygote(self) -> None:
        """Start the app zygote now, so boto3 and the services' models load while the stack's other
        parts start: ``_start_apps`` then forks each app from it, and only then does the app's
        code run. It starts with the settings the apps get, for what Python reads at start."""
        env = self.settings_env()
        env["PYTHONUNBUFFERED"] = "1"
        self.zygote = AppZygote(env, self.log_dir / "zygote.log", self.settings.project_dir, PROVISIONING_SERVICES)
        self.zygote.start()
        for spec in self.pipeline.apps:
            self.apps[spec.name] = self._process(spec.name, app_argv(spec), {}, self.zygote)

    def _start_apps(self) -> None:
        """Start every app (its resources exist by now), then wait until each is ready."""
        for spec in self.pipeline.apps:
            process = self.apps.get(spec.name) or self._process(spec.name, app_argv(spec), {}, self.zygote)
            process.env = self._app_env(spec)
            self.apps[spec.name] = process
            process.start()
        for spec in self.pipeline.apps:
            self._wait_app_ready(spec)

    def _wait_app_ready(self, spec: ProcessSpec) -> None:
        process = self.apps[spec.name]
        if spec.ready_line:
            process.wait_ready(self.settings.startup_timeout, spec.ready_line)
        else:
            process.check_running()

    def _app_env(self, spec: ProcessSpec) -> dict[str, str]:
        return app_env(self.settings, self.pipeline, spec, self.operator_env(), self.service_endpoints)

    def _stop_services_and_apps(self) -> None:
        # Apps first, all signalled before any is awaited, so they finish their tasks together;
        # then the zygote they were forked from, then the helper services.
        _stop_together(list(self.apps.values()))
        if self.zygote is not None:
            self.zygote.stop()
        _stop_together(list(self.services.values()))

    def _app(self, name: str) -> ManagedProcess:
        if name not in self.apps:
            raise KeyError(f"no app named {name!r}; apps: {', '.join(self.apps)}")
        return self.apps[name]

    def _needed(self) -> list[ManagedProcess]:
        return [*self.services.values(), *self.apps.values()]

    def log_files(self) -> list[Path]:
        return [process.log_path for process in self._needed()]

    def stopped_processes(self) -> list[tuple[str, int | None, str]]:
        return [(p.name, p.returncode, p.tail()) for p in self._needed() if p.pid is not None and not p.running]

    def stop_app(self, name: str) -> None:
        self._app(name).stop()

    def kill_app(self, name: str) -> None:
        self._app(name).kill()

    def start_app(self, name: str) -> None:
        app = self._app(name)
        if not app.running:
            app.start()
            self._wait_app_ready(self.pipeline.app(name))

    def restart_app(self, name: str, faults: Mapping[str, str] | None = None) -> None:
        """Restart an app, with fault settings in its environment for this run of it."""
        app = self._app(name)
        app.stop()
        app.env = self._app_env(self.pipeline.app(name))
        app.env.update(faults or {})
        app.start()
        self._wait_app_ready(self.pipeline.app(name))

    def app_pid(self, name: str) -> int | None:
        app = self._app(name)
        return app.pid if app.running else None

    def resume_app(self, name: str) -> None:
        self._app(name).resume()

    def app_output(self, name: str) -> str:
        return self._app(name).output()

    def app_log_tail(self, name: str, lines: int = 20) -> str:
        return self._app(name).tail(lines)


def _stop_together(processes: list[ManagedProcess]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.stop()
