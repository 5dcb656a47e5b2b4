"""What every kind of resource offers provisioning: one module per AWS resource kind.

A kind knows its section of ``pipeline.json``, the placeholders each of its resources fills in the
definition, and how to create, find (on a stack another process provisioned) and delete one.
Adding a kind is one module and one line in ``harness/resources/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.resources.record import Provisioned
from harness.settings import Settings


@dataclass(frozen=True)
class Planned:
    """One declared resource with the physical name this run gives it."""

    spec: Any  # the declaration's entry: QueueSpec, TableSpec ...
    name: str

    @property
    def logical_name(self) -> str:
        return str(self.spec.logical_name)


class ResourceKind(Protocol):
    kind: str  # as the journal names it: "queue"
    section: str  # pipeline.json's section: "queues"
    # Placeholder suffixes each resource fills: IngestQueue + "Url" -> ${IngestQueueUrl}.
    suffixes: Sequence[str]
    # Error codes that mean "already deleted".
    gone: frozenset[str]

    def create(self, clients: Clients, settings: Settings, planned: Planned, out: Provisioned) -> None: ...

    def discover(self, clients: Clients, planned: Planned, out: Provisioned) -> None: ...

    def delete(self, clients: Clients, identifier: str) -> None: ...


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
