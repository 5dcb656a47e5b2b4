"""The pipeline declaration: one JSON file naming every resource, helper service and app.

The same declaration serves every stack, so the stacks cannot drift apart. Logical names
(``OrdersQueue``) become placeholders in the state machine definition (``${OrdersQueueUrl}``)
and environment variables for the apps (``ORDERS_QUEUE_NAME``); physical names get the run's
resource prefix. Timings are declared as they are on AWS and scaled once, by ``TIME_SCALE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from harness.statemachine.definition import DefinitionError, load_json


class DeclarationError(ValueError):
    """The pipeline declaration is not usable; the message says where and why."""


def env_name(logical_name: str, suffix: str) -> str:
    """``IngestQueue`` + ``NAME`` -> ``INGEST_QUEUE_NAME``."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", logical_name).upper()
    return f"{snake}_{suffix}"


@dataclass(frozen=True)
class QueueSpec:
    logical_name: str
    name: str
    visibility_timeout: int = 30
    max_receive_count: int = 3


@dataclass(frozen=True)
class TableSpec:
    logical_name: str
    name: str
    hash_key: str


@dataclass(frozen=True)
class BucketSpec:
    logical_name: str
    name: str
    # Keep every version of an object: a second write of a key shows, where otherwise it replaces.
    versioned: bool = False


@dataclass(frozen=True)
class SecretSpec:
    logical_name: str
    name: str
    value_from: str
    generate_if_missing: bool = False


@dataclass(frozen=True)
class ProcessSpec:
    """A program the stacks run: ``python -m <module> <args>``, a helper service or an app."""

    name: str
    module: str
    args: tuple[str, ...] = ()
    # Helper services: environment variable -> logical name of a secret whose value it needs.
    secret_env: dict[str, str] = field(default_factory=dict)
    # Plain settings it is given; a setting of the same name the user gives wins.
    settings: dict[str, str] = field(default_factory=dict)
    # Durations in seconds as on AWS (real timings): given scaled by TIME_SCALE.
    timings: dict[str, float] = field(default_factory=dict)
    # Readiness: the process prints a line starting with this (``READY <endpoint>``); without
    # it an app is ready once started, since it starts after its resources exist.
    ready_line: str | None = None
    # Helper services: the port it listens on in the compose stack (``--port`` is given the
    # port to use), the setting its endpoint is exported as to the apps (when the user sets
    # it, the service is not started and that endpoint is used), and an HTTP path that answers
    # once it is up (any status).
    port: int | None = None
    endpoint_setting: str | None = None
    health_path: str = "/"
    # Apps: the helper services it needs up first.
    needs: tuple[str, ...] = ()


# The statuses an execution ends in, as EventBridge's status change events name them.
ENDED_STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")
EXECUTION_STATUSES = ("RUNNING", *ENDED_STATUSES)


@dataclass(frozen=True)
class StatusChangesSpec:
    """Where the state machine's execution status changes go: an EventBridge rule on its
    "Step Functions Execution Status Change" events, with a declared queue as its target."""

    queue: str  # the logical name of a declared queue
    statuses: tuple[str, ...] = ("FAILED", "TIMED_OUT", "ABORTED")


@dataclass(frozen=True)
class StateMachineSpec:
    name: str
    definition: Path
    role_arn: str
    # Step Functions Local mock configuration the emulator loads, relative to the declaration.
    mock_config: Path | None = None
    status_changes: StatusChangesSpec | None = None


# pipeline.json's resource sections and the entry each holds.
RESOURCE_SECTIONS: dict[str, type] = {
    "queues": QueueSpec,
    "tables": TableSpec,
    "buckets": BucketSpec,
    "secrets": SecretSpec,
}


@dataclass(frozen=True)
class Pipeline:
    source: Path
    name: str
    state_machine: StateMachineSpec
    sections: dict[str, tuple[Any, ...]]
    services: tuple[ProcessSpec, ...]
    apps: tuple[ProcessSpec, ...]
    # What every app is given (each app's own entries add to them).
    app_settings: dict[str, str] = field(default_factory=dict)
    app_timings: dict[str, float] = field(default_factory=dict)
    # Settings a fault scenario sets on one app's process (its fault switches).
    fault_settings: tuple[str, ...] = ()

    def resources(self, section: str) -> tuple[Any, ...]:
        return self.sections.get(section, ())

    @property
    def queues(self) -> tuple[QueueSpec, ...]:
        return self.resources("queues")

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return self.resources("tables")

    @property
    def buckets(self) -> tuple[BucketSpec, ...]:
        return self.resources("buckets")

    @property
    def secrets(self) -> tuple[SecretSpec, ...]:
        return self.resources("secrets")

    def app(self, name: str) -> ProcessSpec:
        for app in self.apps:
            if app.name == name:
                return app
        known = ", ".join(a.name for a in self.apps)
        raise KeyError(f"no app named {name!r} in {self.source.name}; apps: {known}")

    def service(self, name: str) -> ProcessSpec:
        for service in self.services:
            if service.name == name:
                return service
        known = ", ".join(s.name for s in self.services) or "none"
        raise KeyError(f"no helper service named {name!r} in {self.source.name}; services: {known}")


def _build(cls: type, where: str, logical_name: str | None, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise DeclarationError(f"{where}: expected an object, got {type(raw).__name__}")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DeclarationError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    values = dict(raw)
    if logical_name is not None:
        values["logical_name" if cls is not ProcessSpec else "name"] = logical_name
    for key in ("args", "needs", "statuses"):
        if key in values:
            values[key] = tuple(values[key])
    if "settings" in values:
        values["settings"] = {str(k): str(v) for k, v in values["settings"].items()}
    if "timings" in values:
        values["timings"] = _timings(f"{where}.timings", values["timings"])
    try:
        return cls(**values)
    except TypeError as exc:
        raise DeclarationError(f"{where}: {exc}") from None


def _timings(where: str, raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise DeclarationError(f"{where}: expected an object of seconds")
    out = {}
    for name, seconds in raw.items():
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < float("inf"):
            raise DeclarationError(f"{where}.{name}: expected a positive number of seconds, got {seconds!r}")
        out[str(name)] = float(seconds)
    return out


def load_pipeline(path: Path) -> Pipeline:
    try:
        raw = load_json(path)
    except DefinitionError as exc:
        raise DeclarationError(str(exc)) from None
    where = path.name
    if not isinstance(raw, dict):
        raise DeclarationError(f"{where}: expected an object")

    def section(key: str, cls: type) -> tuple[Any, ...]:
        entries = raw.get(key, {})
        if not isinstance(entries, dict):
            raise DeclarationError(f"{where}: {key}: expected an object of named entries")
        return tuple(_build(cls, f"{where}: {key}.{name}", name, spec) for name, spec in entries.items())

    known = {"description", "name", "state_machine", "services", "apps", "app_settings", "app_timings",
             "fault_settings", *RESOURCE_SECTIONS}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DeclarationError(f"{where}: unknown section(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if "state_machine" not in raw:
        raise DeclarationError(f"{where}: no state_machine section")
    machine = dict(raw["state_machine"])
    machine["definition"] = path.parent / machine.get("definition", "")
    if machine.get("mock_config"):
        machine["mock_config"] = path.parent / machine["mock_config"]
    if machine.get("status_changes") is not None:
        machine["status_changes"] = _build(StatusChangesSpec, f"{where}: state_machine.status_changes", None,
                                           machine["status_changes"])
    pipeline = Pipeline(
        source=path,
        name=str(raw.get("name") or path.parent.resolve().name),
        state_machine=_build(StateMachineSpec, f"{where}: state_machine", None, machine),
        sections={key: section(key, cls) for key, cls in RESOURCE_SECTIONS.items()},
        services=section("services", ProcessSpec),
        apps=section("apps", ProcessSpec),
        app_settings={str(k): str(v) for k, v in (raw.get("app_settings") or {}).items()},
        app_timings=_timings(f"{where}: app_timings", raw.get("app_timings") or {}),
        fault_settings=tuple(raw.get("fault_settings") or ()),
    )
    _check_programs(pipeline)
    _check_status_changes(pipeline)
    return pipeline


def _check_status_changes(pipeline: Pipeline) -> None:
    spec = pipeline.state_machine.status_changes
    if spec is None:
        return
    where = f"{pipeline.source.name}: state_machine.status_changes"
    queues = {q.logical_name for q in pipeline.queues}
    if spec.queue not in queues:
        raise DeclarationError(f"{where}.queue: no queue named {spec.queue!r}; queues: {', '.join(sorted(queues)) or 'none'}")
    unknown = [status for status in spec.statuses if status not in EXECUTION_STATUSES]
    if unknown or not spec.statuses:
        raise DeclarationError(
            f"{where}.statuses: {', '.join(map(repr, unknown)) or 'none given'}; an execution's status is one of "
            f"{', '.join(EXECUTION_STATUSES)}"
        )


def _check_programs(pipeline: Pipeline) -> None:
    services = {s.name for s in pipeline.services}
    for app in pipeline.apps:
        if app.secret_env:
            raise DeclarationError(
                f"{pipeline.source.name}: apps.{app.name}.secret_env: an app reads its secrets from Secrets "
                "Manager by the names it is given (<SECRET>_NAME); only helper services get secret values"
            )
        for need in app.needs:
            if need not in services:
                raise DeclarationError(
                    f"{pipeline.source.name}: apps.{app.name}.needs: no helper service named {need!r}; "
                    f"services: {', '.join(sorted(services)) or 'none'}"
                )
