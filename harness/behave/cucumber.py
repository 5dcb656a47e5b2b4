"""Cucumber JSON from several behave processes that shared a run, as one process would write it.

behave-cucumber-formatter writes each feature with the scenarios its process ran, so a feature
split across processes is in several documents. Merged, each feature is there once, in the
suite's order, with every process's scenarios in line order (the file's order, as a serial run
has them) and its status the worst of its parts. The formatter puts a feature's background
before each scenario as an element of its own; it stays with its scenario.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Feature = dict[str, Any]

# behave's status names, least telling first: a merged feature keeps the worst of its parts'.
STATUS_RANK = {"untested": 0, "skipped": 1, "passed": 2, "undefined": 3, "failed": 4, "error": 5, "hook_error": 5}


def merge_cucumber(documents: list[list[Feature]], feature_order: list[str]) -> list[Feature]:
    """One feature per ``uri``, ordered by ``feature_order`` (unknown ones last, as found)."""
    merged: dict[str, Feature] = {}
    chunks: dict[str, list[list[dict[str, Any]]]] = {}
    for document in documents:
        for feature in document:
            uri = feature["uri"]
            if uri not in merged:
                merged[uri] = {**feature, "elements": []}
                chunks[uri] = []
            else:
                merged[uri]["status"] = _worse(merged[uri].get("status"), feature.get("status"))
            chunks[uri].extend(_scenario_chunks(feature.get("elements", [])))
    for uri, feature in merged.items():
        feature["elements"] = [element for chunk in sorted(chunks[uri], key=_chunk_line) for element in chunk]
    place = {uri: position for position, uri in enumerate(feature_order)}
    return sorted(merged.values(), key=lambda feature: place.get(feature["uri"], len(place)))


def read_documents(paths: list[Path]) -> list[list[Feature]]:
    """The documents that can be read; one cut short (its process died) is left out and logged."""
    documents = []
    for path in paths:
        try:
            documents.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            log.warning("Cucumber JSON %s left out of the merge: %s", path, exc)
    return documents


def _scenario_chunks(elements: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Each scenario with the background elements just before it."""
    chunks, pending = [], []
    for element in elements:
        pending.append(element)
        if element.get("type") != "background":
            chunks.append(pending)
            pending = []
    if pending:
        chunks.append(pending)
    return chunks


def _chunk_line(chunk: list[dict[str, Any]]) -> int:
    return int(chunk[-1].get("line", 0))


def _worse(first: str | None, second: str | None) -> str | None:
    return max((first, second), key=lambda status: STATUS_RANK.get(status or "", -1))
