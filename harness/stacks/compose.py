"""The compose stack: the same pipeline as containers, from ``docker-compose.yml``.

Two ways to run on it:
- managed, from the host (``behave -D stack=compose``): the hooks bring the stack up, wait until
  every service is ready (its ready line written: compose_readiness.py), and bring it down with
  its volumes at the end, also after a failure or a Ctrl-C;
- attached, inside the stack (the ``acceptance`` service): everything already runs; the suite
  only finds it.

The compose CLI does up and down (``docker compose`` or ``docker-compose``, whichever is here);
the ``docker`` package does what it does well: state, logs, stopping and starting one app.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Mapping
from typing import Any

import docker
from harness.aws_clients import AwsTarget, Clients
from harness.redaction import redact
from harness.pipeline import ProcessSpec
from harness.resources.provisioning import discover
from harness.stacks import client_models
from harness.stacks.base import Stack
from harness.stacks.compose_readiness import NotReady, docker_time, started_at, wait_ready
from harness.stacks.emulator import READY_PREFIX
from harness.stacks.provisioned_signal import PROVISIONED
from harness.stacks.processes import free_port

log = logging.getLogger(__name__)

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
# The harness's own services in docker-compose.yml; the pipeline's helper services and apps
# are named as in pipeline.json. The suite's own service is never awaited by the suite inside it.
EMULATOR = "emulator"
EMULATOR_PORT = 4566
PROVISION = "provision"
RUNNER = "acceptance"
# The runner of the opt-in app-faults profile: the one container given the Docker socket.
APP_FAULTS_RUNNER = "acceptance-app-faults"


def port_variable(service: str) -> str:
    """The variable docker-compose.yml publishes a service's port with: ``order-api`` -> ``ORDER_API_PORT``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", service).upper() + "_PORT"


def _epoch(value: str) -> float:
    return docker_time(value).timestamp()


class ComposeError(RuntimeError):
    """The compose stack could not be brought up or found."""


@functools.cache  # the answer does not change during a run; each probe starts a process
def compose_command() -> tuple[str, ...]:
    """``docker compose`` where the plugin exists, else ``docker-compose``."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ("docker", "compose")
    if shutil.which("docker-compose"):
        return ("docker-compose",)
    raise ComposeError("neither `docker compose` nor `docker-compose` is installed")


class ComposeStack(Stack):
    name = "compose"
    # The emulator (harness/engine/) scales time and mocks integrations; apps can be restarted
    # (not resumed: a container's main process is its init, which a SIGCONT does not reach through).
    supports = frozenset({"app_faults", "app_control", "time_scale", "mocked_integrations"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attached = self.settings.get("COMPOSE_ATTACHED", "0") == "1"
        # From the resource prefix by default, so parallel workers (each its own prefix) each get
        # a project, containers and ports of their own.
        self.project = self.settings.get("COMPOSE_PROJECT_NAME") or f"{self.settings.resource_prefix}-tests"
        self.docker = self._docker_client()
        self._restart_policies: dict[str, Any] = {}
        # From the host: seconds until the emulator answered, provisioning ended, all was ready.
        self.timings: dict[str, float] = {}
        self._env: dict[str, str] = {}
        # Containers start slower than processes, and a first `up` may build the image.
        self.startup_timeout = float(self.settings.get("COMPOSE_STARTUP_TIMEOUT_SECONDS", "300") or 300)

    def _docker_client(self) -> Any:
        """The Docker API, or None inside the stack when the container was given no socket.

        The socket is root on the host to whoever holds it, so the acceptance service has none
        by default; the scenarios that need it are then skipped (``controls_apps``), unless
        ``COMPOSE_APP_CONTROL=required`` says this run is for them.
        """
        try:
            return docker.from_env()
        except docker.errors.DockerException as exc:
            required = (self.settings.get("COMPOSE_APP_CONTROL") or "").lower() == "required"
            if not self.attached or required:
                raise ComposeError(f"cannot reach the Docker engine: {exc}") from None
            log.info("no Docker socket here: scenarios that stop, crash or watch an app are skipped")
            return None

    @property
    def controls_apps(self) -> bool:
        """Whether this stack can stop, restart and watch an app's container."""
        return self.docker is not None

    def _docker_api(self) -> Any:
        if self.docker is None:
            raise ComposeError("this container has no Docker socket: run the app-faults profile for this")
        return self.docker

    # -- compose CLI -------------------------------------------------------------------------

    def _compose(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [*compose_command(), "-p", self.project, *args]
        log.info("running %s", " ".join(command))
        result = subprocess.run(
            command, cwd=self.settings.project_dir, env=self._env, capture_output=True, text=True
        )
        if check and result.returncode != 0:
            raise ComposeError(f"`{' '.join(command)}` failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return result

    # -- containers --------------------------------------------------------------------------

    def _own_project(self) -> str:
        # Inside a container the hostname is the container id: its labels name the project.
        container = self._docker_api().containers.get(socket.gethostname())
        return str(container.labels[PROJECT_LABEL])

    def _containers(self) -> dict[str, Any]:
        found = self._docker_api().containers.list(all=True, filters={"label": f"{PROJECT_LABEL}={self.project}"})
        return {c.labels[SERVICE_LABEL]: c for c in found}

    def _container(self, service: str) -> Any:
        containers = self._containers()
        if service not in containers:
            raise KeyError(f"no container for service {service!r} in project {self.project}; have {sorted(containers)}")
        return containers[service]

    def _ready_line(self, service: str) -> str | None:
        """The line a service's log shows once it is of use: the emulator's, or the declared one."""
        if service == EMULATOR:
            return READY_PREFIX.strip()
        if service == PROVISION:
            return PROVISIONED
        for spec in (*self.pipeline.apps, *self.pipeline.services):
            if spec.name == service:
                return spec.ready_line
        return None

    def _wait_ready(self, containers: dict[str, Any]) -> None:
        try:
            wait_ready(containers, self._ready_line, timeout=self.startup_timeout, tail=lambda c: self._tail(c, 20))
        except NotReady as exc:
            raise ComposeError(str(exc)) from None

    @staticmethod
    def _tail(container: Any, lines: int) -> str:
        return container.logs(tail=lines).decode("utf-8", errors="replace")

    # -- the Stack interface -----------------------------------------------------------------

    def _start(self) -> None:
        plan = self.plan
        plan.preflight()
        if self.attached:
            if self.controls_apps:
                self.project = self._own_project()
            endpoint = self.settings.get("AWS_ENDPOINT_URL") or f"http://{EMULATOR}:{EMULATOR_PORT}"
            for spec in self.pipeline.services:
                self.service_endpoints[spec.name] = self._given_endpoint(spec) or f"http://{spec.name}:{spec.port}"
        else:
            began = time.time()
            # While compose starts the containers this process would only wait: it reads boto3's models.
            models = client_models.preload(self.settings.region)
            ports = {EMULATOR: free_port(), **{spec.name: free_port() for spec in self.pipeline.services}}
            self._env = {**os.environ, **self.settings.values}
            self._env.update({port_variable(name): str(port) for name, port in ports.items()})
            # Returns once every container is started, not once they are ready.
            self._compose("up", "-d", "--remove-orphans", *self._up_services())
            models.join()
            endpoint = f"http://127.0.0.1:{ports[EMULATOR]}"
            for spec in self.pipeline.services:
                self.service_endpoints[spec.name] = self._given_endpoint(spec) or f"http://127.0.0.1:{ports[spec.name]}"
        self.clients = Clients(AwsTarget(self.settings.region, endpoint))
        if self.controls_apps:
            # Without the socket, compose's depends_on (service_healthy) waited before this ran.
            containers = {s: c for s, c in self._containers().items() if s not in (RUNNER, APP_FAULTS_RUNNER)}
            # What was provisioned is read while the apps start.
            self._wait_ready({s: c for s, c in containers.items() if s in (EMULATOR, PROVISION)})
            self.provisioned = discover(self.clients, plan)
            self._wait_ready(containers)
        else:
            self.provisioned = discover(self.clients, plan)
        if not self.attached:
            self.timings = self._start_timings(began)
            log.info("compose stack ready in %.2f s", self.timings["ready_s"])
        log.info("compose stack %s ready at %s", self.project, endpoint)

    def _start_timings(self, began: float) -> dict[str, float]:
        """Seconds from ``began`` (epoch) until the emulator answered, provisioning finished and
        every service was ready: the same steps the embedded stack times."""
        ready = time.time()
        containers = self._containers()

        def written(service: str) -> float:
            """When the service's ready line was written."""
            line_start = (self._ready_line(service) or "").encode()
            for line in containers[service].logs(timestamps=True).splitlines():
                stamp, _, text = line.partition(b" ")
                if text.startswith(line_start):
                    return _epoch(stamp.decode())
            return ready

        return {
            "emulator_ready_s": written(EMULATOR) - began,
            "provisioned_s": written(PROVISION) - began,
            "ready_s": ready - began,
        }

    def _given_endpoint(self, spec: ProcessSpec) -> str | None:
        return self.settings.get(spec.endpoint_setting) if spec.endpoint_setting else None

    def _up_services(self) -> list[str]:
        services = [s.name for s in self.pipeline.services] + [a.name for a in self.pipeline.apps]
        return [EMULATOR, PROVISION, *services]

    def _stop(self) -> None:
        if self.attached:
            return
        self._compose("down", "--volumes", "--remove-orphans", "--timeout", "10", check=False)
        log.info("compose stack %s removed", self.project)

    def stop_app(self, name: str) -> None:
        # Inside the stack too: `up --exit-code-from acceptance acceptance` follows the
        # acceptance container alone, so an app's container may stop without ending the run.
        self._container(name).stop(timeout=10)

    def kill_app(self, name: str) -> None:
        container = self._container(name)
        container.reload()
        # A crashed app is already down: killing it again is no error, as for a process.
        if container.status in ("running", "paused", "restarting"):
            container.kill()

    def start_app(self, name: str) -> None:
        self._container(name).start()
        self._wait_app_ready(name)

    def _wait_app_ready(self, name: str) -> None:
        self._wait_ready({name: self._container(name)})

    def restart_app(self, name: str, faults: Mapping[str, str] | None = None) -> None:
        """Recreate the app's container with these fault settings (none: as the file says)."""
        if self.attached:
            self._recreate_in_place(name, faults or {})
        else:
            for setting in self.pipeline.fault_settings:
                self._env.pop(setting, None)
            self._env.update(faults or {})
            self._compose("up", "-d", "--no-deps", "--force-recreate", name)
        if faults:
            # An app told to crash must stay down, as a crashed process does, until replaced.
            self._container(name).update(restart_policy={"Name": "no"})
        self._wait_app_ready(name)

    def _recreate_in_place(self, name: str, faults: Mapping[str, str]) -> None:
        """Inside the stack there is no compose CLI: the container is made again through the
        Docker API from its own settings (image, command, labels, network and aliases,
        healthcheck, init), with the fault settings in its environment instead of the file's."""
        old = self._container(name)
        old.reload()
        config, host = old.attrs["Config"], old.attrs["HostConfig"]
        # The file's restart policy, kept from before a fault run turned it off (restart_app).
        policy = self._restart_policies.setdefault(name, host["RestartPolicy"])
        env = [entry for entry in config["Env"] if entry.split("=", 1)[0] not in self.pipeline.fault_settings]
        env += [f"{setting}={value}" for setting, value in faults.items()]
        network, endpoint = next(iter(old.attrs["NetworkSettings"]["Networks"].items()))
        old.remove(force=True)
        self.docker.containers.run(
            config["Image"],
            command=config["Cmd"],
            entrypoint=config["Entrypoint"],
            environment=env,
            labels=config["Labels"],
            name=old.name,
            user=config["User"] or None,
            working_dir=config["WorkingDir"] or None,
            healthcheck=config.get("Healthcheck"),
            init=host.get("Init"),
            restart_policy=policy,
            network=network,
            networking_config={network: self.docker.api.create_endpoint_config(aliases=endpoint.get("Aliases"))},
            detach=True,
        )

    def app_pid(self, name: str) -> int | None:
        # The host's process id of the container's main process: it changes on every restart.
        container = self._container(name)
        container.reload()
        state = container.attrs["State"]
        return int(state["Pid"]) if state["Running"] and state["Pid"] else None

    def app_output(self, name: str) -> str:
        container = self._container(name)
        container.reload()
        # Only the current run of the container, as the embedded stack gives a process's own output.
        return container.logs(since=started_at(container).timestamp()).decode("utf-8", errors="replace")


    def app_log_tail(self, name: str, lines: int = 20) -> str:
        if not self.controls_apps:
            return f"(no Docker socket in this container: see `docker compose logs {name}`)"
        return redact(self._tail(self._container(name), lines))
