"""``python -m harness expect-runs EXPECTATIONS --since EPOCH``: did each suite of a run check
as much as it is expected to, and are the reports read afterwards this run's own?

A suite that runs fewer tests than it used to, skips more, or leaves an older report in place
still exits 0 on its own. The expectations file (JSON) names, per suite, what it must show:

    {"suites": [
      {"name": "pytest", "junit": "reports/pytest.xml", "min_tests": 400, "max_skipped": 0,
       "allowed_skips": ["SAMPLE_DEFINITIONS_DIR"]},
      {"name": "acceptance", "summary": "reports/run-summary.json", "min_ran": 37, "max_skipped": 0},
      {"name": "parallel", "summary": "reports/parallel/worker-*/run-summary.json", "min_ran": 37}
    ],
     "fresh": ["reports/report.html"]}

``summary`` is the ``run-summary.json`` a behave run writes (``harness/behave/run_tally.py``);
a glob adds up several (a parallel run's workers). ``junit`` is a JUnit XML file (pytest's
``--junitxml``). ``allowed_skips``: skip reasons (parts of them) that count against nothing. Every file named must have been written after ``--since`` (seconds since the
epoch, taken when the run began). Paths are relative to the expectations file's project
(``--project``, the current folder by default). Exit 1 with every shortfall named.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any


class ExpectationError(ValueError):
    """The expectations file itself is wrong."""


def _files(project: Path, pattern: str) -> list[Path]:
    return sorted(project.glob(pattern)) if any(c in pattern for c in "*?[") else [project / pattern]


def _stale(path: Path, since: float) -> str | None:
    if not path.is_file():
        return f"{path} is missing"
    if path.stat().st_mtime < since:
        return f"{path} is older than this run (left by an earlier one)"
    return None


def _behave_counts(files: list[Path]) -> dict[str, Any]:
    totals: dict[str, Any] = {"ran": 0, "failed": 0, "skipped": 0, "reasons": {}}
    for path in files:
        summary = json.loads(path.read_text(encoding="utf-8"))
        totals["ran"] += summary["ran"]
        totals["failed"] += summary["failed"]
        for reason, count in summary["skipped"].items():
            totals["skipped"] += count
            totals["reasons"][reason] = totals["reasons"].get(reason, 0) + count
    return totals


def _junit_counts(path: Path) -> dict[str, Any]:
    root = ElementTree.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = sum(int(s.get("tests", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    reasons: dict[str, int] = {}
    for skip in root.iter("skipped"):
        reason = skip.get("message", "?")
        reasons[reason] = reasons.get(reason, 0) + 1
    return {"ran": tests - skipped, "skipped": skipped, "reasons": reasons}


def check_suite(project: Path, suite: dict[str, Any], since: float) -> list[str]:
    name = suite.get("name") or suite.get("summary") or suite.get("junit")
    if ("summary" in suite) == ("junit" in suite):
        raise ExpectationError(f"suite {name!r}: give exactly one of 'summary' or 'junit'")
    pattern = suite.get("summary") or suite["junit"]
    files = _files(project, pattern)
    if not files:
        return [f"{name}: no file matches {pattern}: the suite did not run"]
    problems = [f"{name}: {problem}" for problem in filter(None, (_stale(f, since) for f in files))]
    if problems:
        return problems
    counts = _behave_counts(files) if "summary" in suite else _junit_counts(files[0])
    least = suite.get("min_ran", suite.get("min_tests", 1))
    if counts["ran"] < least:
        problems.append(f"{name}: {counts['ran']} ran, fewer than the {least} expected")
    # Skips a suite is known to make (an opt-in test without its input) count against nothing.
    allowed = suite.get("allowed_skips", [])
    unexpected = {r: n for r, n in counts["reasons"].items() if not any(a in r for a in allowed)}
    skipped = sum(unexpected.values())
    most = suite.get("max_skipped", 0)
    if skipped > most:
        reasons = "; ".join(f"{n}× {reason}" for reason, n in unexpected.items())
        problems.append(f"{name}: {skipped} skipped, more than the {most} expected ({reasons})")
    return problems


def check(project: Path, expectations: dict[str, Any], since: float) -> list[str]:
    suites = expectations.get("suites")
    if not isinstance(suites, list) or not suites:
        raise ExpectationError("the expectations file names no suites")
    problems = [problem for suite in suites for problem in check_suite(project, suite, since)]
    for pattern in expectations.get("fresh", []):
        problems.extend(filter(None, (_stale(path, since) for path in _files(project, pattern) or [project / pattern])))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness expect-runs", description=__doc__.splitlines()[0])
    parser.add_argument("expectations", type=Path)
    parser.add_argument("--since", type=float, required=True, help="when the run began, seconds since the epoch")
    parser.add_argument("--project", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    try:
        expectations = json.loads(args.expectations.read_text(encoding="utf-8"))
        problems = check(args.project, expectations, args.since)
    except (OSError, ValueError) as exc:
        print(f"expect-runs: {args.expectations}: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"expect-runs: {problem}", file=sys.stderr)
    if not problems:
        print(f"expect-runs: every suite of {args.expectations} ran what it is expected to, reports fresh")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
