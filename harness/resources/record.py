"""What provisioning made and found: placeholder values, the apps' environment, and a journal of
every resource this run created, so teardown deletes exactly that and nothing it found."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from harness.pipeline import env_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Created:
    """One resource a run created: its kind (``queue``, ``table`` ...) and what deletes it."""

    kind: str
    identifier: str  # queue URL, table name, bucket name, secret ARN, state machine ARN, role name


@dataclass
class Provisioned:
    placeholders: dict[str, str] = field(default_factory=dict)
    app_env: dict[str, str] = field(default_factory=dict)
    secret_values: dict[str, str] = field(default_factory=dict, repr=False)
    state_machine_arn: str = ""
    created: list[Created] = field(default_factory=list)
    # Where each creation is also written as it happens, one JSON line each, so even a run that
    # was killed outright leaves the list of what to delete (``python -m harness cleanup``).
    journal: Path | None = None
    # Resources are created on several threads: one line of the journal at a time.
    _journal_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def made(self, kind: str, identifier: str) -> None:
        """Note a resource this run created (not one that was already there)."""
        with self._journal_lock:
            self.created.append(Created(kind, identifier))
            log.info("created %s %s", kind, identifier)
            if self.journal is not None:
                self.journal.parent.mkdir(parents=True, exist_ok=True)
                with self.journal.open("a", encoding="utf-8") as journal:
                    journal.write(json.dumps({"kind": kind, "identifier": identifier}) + "\n")

    def record(self, logical_name: str, name: str, **values: str) -> None:
        """Note one resource: its placeholders, and its name for the apps."""
        self.placeholders[f"{logical_name}Name"] = name
        self.placeholders.update({f"{logical_name}{suffix}": value for suffix, value in values.items()})
        self.app_env[env_name(logical_name, "NAME")] = name


def read_journal(path: Path) -> list[Created]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Created(**json.loads(line)) for line in lines if line.strip()]
