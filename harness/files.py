"""Files a run writes, written whole or not at all."""

from __future__ import annotations

from pathlib import Path


def write_whole(target: Path, data: str | bytes) -> None:
    """Written under a temporary name, then renamed: a run killed half-way leaves no cut-short file,
    and a reader never sees half of one."""
    partial = target.with_name(target.name + ".partial")
    if isinstance(data, bytes):
        partial.write_bytes(data)
    else:
        partial.write_text(data, encoding="utf-8")
    partial.replace(target)
