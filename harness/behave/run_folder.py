"""Which folder a behave run writes its reports to, and what of an earlier run it clears first.

One run, one set of reports. A whole run (the configured paths and default tags) writes to
``REPORTS_DIR`` and first removes what an earlier run wrote there. A partial run (other tags,
feature files or lines, names, include or exclude patterns) writes to ``REPORTS_DIR/partial/``
instead, cleared the same way, so it never replaces the last whole run's report. A process of a
parallel run writes where it is told (``-D reports_dir``): its parent deals it a subset.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

PARTIAL_DIR = "partial"
# A run split across processes keeps each process's own folder here (harness/behave/acceptance.py).
WORKERS_DIR = "workers"
# What a run writes in its folder; anything else there (the folders of other kinds of run, the
# scenario timings kept for the next parallel dealing) is left alone.
RUN_OUTPUTS = (
    "report.html", "coverage.json", "cucumber.json", "run-record.pickle", "run-summary.json", "junit", "logs",
    WORKERS_DIR,
)
# Not cleared: allure/ (Allure keeps history across runs, and its formatter opens the folder
# before the run starts).


def partial_reasons(config: Any) -> list[str]:
    """What narrows this run to part of the suite, in words; empty for a whole run."""
    reasons = []
    if list(config.tags or []) != list(config.default_tags or []):
        reasons.append(f"tags {' '.join(config.tags)}")
    configured = [str(Path(p)) for p in (config.defaults.get("paths") or ["features"])]
    given = [str(Path(p)) for p in (config.paths or [])]
    if given and given != configured:
        reasons.append(f"paths {' '.join(given)}")
    for option, words in (("name", "names"), ("include_re", "include"), ("exclude_re", "exclude")):
        value = getattr(config, option, None)
        if value:
            reasons.append(f"{words} {' '.join(value) if isinstance(value, list) else value}")
    return reasons


def run_reports_dir(reports_dir: Path, partial: bool) -> Path:
    return reports_dir / PARTIAL_DIR if partial else reports_dir


def clear_run_outputs(folder: Path) -> None:
    """Removes what an earlier run wrote in ``folder``, so none of it passes for this run's."""
    for name in RUN_OUTPUTS:
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
