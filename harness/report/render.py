"""DOT to inline SVG through Graphviz's ``dot``; a clear note instead when it cannot be run.

A missing Graphviz must never fail a test run: the report is still written, with the note.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

log = logging.getLogger(__name__)

DOT_TIMEOUT_SECONDS = 30
INSTALL_HINT = "install Graphviz (Debian: apt-get install graphviz; macOS: brew install graphviz) and run again"


@dataclass(frozen=True)
class Rendered:
    svg: str | None
    note: str | None = None


def dot_executable() -> str | None:
    return shutil.which("dot")


def _inline(svg: str) -> str:
    # The XML prolog, DOCTYPE and comments are not allowed or not wanted inside HTML.
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    return svg.strip()


def render_svg(dot_source: str) -> Rendered:
    executable = dot_executable()
    if executable is None:
        return Rendered(None, f"Graphviz's dot was not found, so the diagram is not drawn: {INSTALL_HINT}.")
    try:
        done = subprocess.run(
            [executable, "-Tsvg"],
            input=dot_source.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("dot could not lay out a diagram: %s", exc)
        return Rendered(None, f"Graphviz's dot could not lay out the diagram: {exc}")
    if done.returncode != 0:
        error = done.stderr.decode(errors="replace").strip()
        log.warning("dot failed: %s", error)
        return Rendered(None, f"Graphviz's dot failed: {error}")
    return Rendered(_inline(done.stdout.decode()))


def render_many(sources: Iterable[str], at_once: int | None = None) -> dict[str, Rendered]:
    """Each distinct DOT source drawn once, ``at_once`` runs of dot side by side (one per core
    by default): a report of forty executions waited on forty dots one after the other."""
    distinct = list(dict.fromkeys(sources))
    at_once = min(at_once or os.cpu_count() or 1, len(distinct))
    if at_once < 2:
        return {source: render_svg(source) for source in distinct}
    with ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="dot") as pool:
        return dict(zip(distinct, pool.map(render_svg, distinct)))
