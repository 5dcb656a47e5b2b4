"""The pipeline declaration: one JSON file naming every resource, helper service and app.

The same declaration serves every stack, so the stacks cannot drift apart. Logical names
(``IngestQueue``) become placeholders in the state machine definition (``${IngestQueueUrl}``)
and environment variables for the apps (``INGEST_QUEUE_NAME``); physical names get the run's
resource prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class SecretSpec:
    logical_name: str
    name: str
    value_from: str
    generate_if_missing: bool = False


@dataclass(frozen=True)
class ProcessSpec:
    """A program the local stacks run: ``python -m <module> <args>``."""

    name: str
    module: str
    args: tuple[str, ...] = ()
    # Environment variable -> logical name of a secret whose value the process needs.
    secret_env: dict[str, str] = field(default_factory=dict)
    # For a helper service: the setting its endpoint is exported as. When the user sets it,
    # the service is not started and the given endpoint is used instead.
    endpoint_setting: str | None = None


@dataclass(frozen=True)
class StateMachineSpec:
    name: str
    definition: Path
    role_arn: str


@dataclass(frozen=True)
class Pipeline:
    source: Path
    state_machine: StateMachineSpec
    queues: tuple[QueueSpec, ...]
    tables: tuple[TableSpec, ...]
    buckets: tuple[BucketSpec, ...]
    secrets: tuple[SecretSpec, ...]
    services: tuple[ProcessSpec, ...]
    apps: tuple[ProcessSpec, ...]

    def app(self, name: str) -> ProcessSpec:
        for app in self.apps:
            if app.name == name:
                return app
        known = ", ".join(a.name for a in self.apps)
        raise KeyError(f"no app named {name!r} in {self.source.name}; apps: {known}")


def _build(cls: type, where: str, logical_name: str | None, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise DeclarationError(f"{where}: expected an object, got {type(raw).__name__}")
    fields = dict(raw)
    if logical_name is not None:
        fields["logical_name" if cls is not ProcessSpec else "name"] = logical_name
    if "args" in fields:
        fields["args"] = tuple(fields["args"])
    try:
        return cls(**fields)
    except TypeError as exc:
        raise DeclarationError(f"{where}: {exc}") from None


def load_pipeline(path: Path) -> Pipeline:
    try:
        raw = load_json(path)
    except DefinitionError as exc:
        raise DeclarationError(str(exc)) from None
    where = path.name

    def section(key: str, cls: type) -> tuple[Any, ...]:
        entries = raw.get(key, {})
        return tuple(
            _build(cls, f"{where}: {key}.{name}", name, spec) for name, spec in entries.items()
        )

    if "state_machine" not in raw:
        raise DeclarationError(f"{where}: no state_machine section")
    machine = dict(raw["state_machine"])
    machine["definition"] = path.parent / machine.get("definition", "")
    return Pipeline(
        source=path,
        state_machine=_build(StateMachineSpec, f"{where}: state_machine", None, machine),
        queues=section("queues", QueueSpec),
        tables=section("tables", TableSpec),
        buckets=section("buckets", BucketSpec),
        secrets=section("secrets", SecretSpec),
        services=section("services", ProcessSpec),
        apps=section("apps", ProcessSpec),
    )
