"""The outputs of a run split across behave processes, put together where one process puts them.

Each process writes in its own folder what a behave run writes (``harness/behave/parallel.py``
deals them their scenarios). Here their JUnit files become one file per feature again, their
run summaries one summary, and their process logs move under the run's ``logs/``, one folder
per process: the run's folder then holds what a serial run's holds.
"""

from __future__ import annotations

import json
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from harness.behave.run_tally import SUMMARY_FILE
from harness.files import write_whole
from harness.report.coverage_junit import COVERAGE_JUNIT_FILE

COUNTS = ("tests", "errors", "failures", "skipped")


def merge_junit_by_feature(worker_dirs: list[Path], target: Path) -> None:
    """One ``TESTS-<feature>.xml`` per feature in ``target``, with the test cases of every process
    that ran part of it; each process's share of the coverage is left out (the run's is written
    from the merged run)."""
    suites: dict[str, ET.Element] = {}
    for folder in worker_dirs:
        for path in sorted((folder / "junit").glob("TESTS-*.xml")):
            if path.name == COVERAGE_JUNIT_FILE:
                continue
            suite = ET.parse(path).getroot()
            merged = suites.get(path.name)
            if merged is None:
                suites[path.name] = suite
                continue
            for count in COUNTS:
                merged.set(count, str(int(merged.get(count, 0)) + int(suite.get(count, 0))))
            merged.set("time", str(round(float(merged.get("time", 0)) + float(suite.get("time", 0)), 6)))
            merged.extend(list(suite.iter("testcase")))
    target.mkdir(parents=True, exist_ok=True)
    for name, suite in suites.items():
        write_whole(target / name, ET.tostring(suite, encoding="utf-8", xml_declaration=True))


def merge_summaries(worker_dirs: list[Path], processes: int) -> dict[str, Any]:
    """The run's tally from each process's ``run-summary.json``; a process that wrote none is
    counted as one whose scenarios did not run."""
    merged: dict[str, Any] = {"stack": None, "processes": processes, "started_at": None, "finished_at": time.time(),
                              "selected": 0, "ran": 0, "passed": 0, "failed": 0, "skipped": {}, "not_run": []}
    for folder in worker_dirs:
        try:
            summary = json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            merged["not_run"].append(f"{folder.name} wrote no run summary ({exc})")
            continue
        merged["stack"] = merged["stack"] or summary.get("stack")
        started = summary.get("started_at")
        if started is not None:
            merged["started_at"] = min(filter(None, (merged["started_at"], started)))
        for key in ("selected", "ran", "passed", "failed"):
            merged[key] += int(summary.get(key, 0))
        for reason, count in summary.get("skipped", {}).items():
            merged["skipped"][reason] = merged["skipped"].get(reason, 0) + int(count)
        merged["not_run"].extend(summary.get("not_run", []))
    return merged


def write_summary(summary: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_whole(folder / SUMMARY_FILE, json.dumps(summary, indent=2) + "\n")


def gather_logs(worker_dirs: list[Path], target: Path) -> None:
    """Each process's ``logs/`` becomes ``target/<its folder's name>/``."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in worker_dirs:
        logs = folder / "logs"
        if logs.is_dir():
            destination = target / folder.name
            shutil.rmtree(destination, ignore_errors=True)
            logs.replace(destination)
