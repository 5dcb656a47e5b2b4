"""The suite split across behave processes: ``python -m harness parallel -n N [behave options]``.

Scenarios (not features: a feature's scenarios may take very different times; and an outline's
examples one by one, for the same reason) are dealt out to
N behave processes in shares of about equal time, by how long each took last time
(``harness/behave/timings.py``; round-robin when no run was timed yet). Each worker has its
own stack (the embedded stack starts its own emulator; the aws stack makes its own resources),
its own ``RESOURCE_PREFIX`` and its own reports folder, ``<REPORTS_DIR>/parallel/worker-<i>/``.
At the end the workers' reports are merged in ``<REPORTS_DIR>/parallel/``: ``report.html`` (one
HTML report, as a serial run writes it, that names the worker of each scenario), ``junit.xml``
and ``cucumber.json``; ``index.html`` links the merged report and each worker's own. The exit status is 1 if any worker failed.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from behave.configuration import Configuration
from behave.parser import parse_file
from behave.tag_expression import make_tag_expression

from harness.behave.cucumber import merge_cucumber, read_documents
from harness.behave.timings import TIMINGS_FILE, deal_by_time, load_timings, timings_of, update_timings
from harness.behave.reporting import REPORT_FILE, closing_lines, coverage_minimum
from harness.report.coverage_junit import COVERAGE_JUNIT_FILE, coverage_suite, shortfalls
from harness.statemachine.coverage import Coverage
from harness.report.coverage_view import run_coverage, write_coverage
from harness.report.html import report_html
from harness.report.render import dot_executable
from harness.report.merge import WorkerRun, merge_runs, suite_features
from harness.report.record_file import load_run_record
from harness.report.records import RunRecord
from harness.settings import load_settings, userdata_from_behave_args

log = logging.getLogger(__name__)

# Where the config file's cucumber formatter writes, once harness.behave.worker has moved it.
CUCUMBER_FILE = "cucumber.json"


@dataclass(frozen=True)
class Worker:
    index: int
    locations: list[str]
    reports_dir: Path

    @property
    def name(self) -> str:
        return f"worker {self.index}"


def default_tags() -> list[str]:
    """The tags behave's own configuration selects by default, from whichever file holds it
    (pyproject.toml, behave.ini, setup.cfg, tox.ini) in the current folder, or none."""
    tags = Configuration([]).default_tags
    if isinstance(tags, str):
        return [tags] if tags.strip() else []
    return list(tags or [])


def feature_files(features_dir: Path) -> list[Path]:
    return sorted(features_dir.rglob("*.feature"))


def scenario_locations(features_dir: Path, tags: list[str]) -> list[str]:
    """``file:line`` of every scenario the tag expression selects (an outline's examples each by its row)."""
    selects = make_tag_expression(tags) if tags else None
    found = []
    for path in feature_files(features_dir):
        feature = parse_file(str(path))
        if feature is None:
            continue
        for scenario in feature.walk_scenarios(with_outlines=True):
            if getattr(scenario, "scenarios", None) is not None:
                continue  # an outline: each of its examples is dealt on its own, by its row's line
            if selects is None or selects.check(scenario.effective_tags):
                found.append(f"{path.relative_to(features_dir.parent)}:{scenario.line}")
    return found


def deal(locations: list[str], count: int, root: Path, timings: dict[str, float]) -> list[Worker]:
    hands = deal_by_time(locations, count, timings)
    return [Worker(i, hand, root / f"worker-{i}") for i, hand in enumerate(hands) if hand]


def command(worker: Worker, prefix: str, behave_args: list[str]) -> list[str]:
    return [
        # behave, with the files its config file writes moved into the worker's folder.
        sys.executable, "-m", "harness.behave.worker", str(worker.reports_dir),
        "--junit-directory", str(worker.reports_dir / "junit"),
        # plain: behave 1.3.3's progress formatter has no mark for a cleanup error and crashes.
        "-f", "plain", "-o", str(worker.reports_dir / "console.txt"),
        *behave_args,
        # After the user's options, so a worker's own folder and prefix win.
        "-D", f"reports_dir={worker.reports_dir}",
        "-D", f"resource_prefix={prefix}-w{worker.index}",
        # The data of its HTML report too, for the merged one.
        "-D", "keep_run_record=yes",
        # A worker runs a share of the suite: the minimum applies to the merged coverage only.
        "-D", "coverage_min=",
        *worker.locations,
    ]


def merge_junit(workers: list[Worker], target: Path) -> tuple[int, int]:
    """Every worker's test suites in one ``<testsuites>``; returns (tests, failures + errors)."""
    merged = ET.Element("testsuites")
    for worker in workers:
        for path in sorted((worker.reports_dir / "junit").glob("*.xml")):
            if path.name == COVERAGE_JUNIT_FILE:
                continue  # one worker's share; the merged run's coverage is added after
            suite = ET.parse(path).getroot()
            suite.set("hostname", f"worker-{worker.index}")
            merged.append(suite)
    tests = sum(int(s.get("tests", 0)) - int(s.get("skipped", 0)) for s in merged)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in merged)
    merged.set("tests", str(tests))
    merged.set("failures", str(bad))
    ET.ElementTree(merged).write(target, encoding="utf-8", xml_declaration=True)
    return tests, bad


def add_to_junit(path: Path, suite: ET.Element) -> None:
    tree = ET.parse(path)
    tree.getroot().append(suite)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def write_merged_report(
    project_dir: Path, workers: list[Worker], target: Path, seconds: float
) -> tuple[RunRecord, Coverage | None] | None:
    """One HTML report of the whole run, its record and coverage; None, with the reason logged,
    if it could not be written."""
    try:
        runs = [WorkerRun(w.name, w.locations, load_run_record(w.reports_dir)) for w in workers]
        suite = suite_features(project_dir, feature_files(project_dir / "features"))
        record = merge_runs(suite, runs, seconds)
        coverage = run_coverage(record)
        target.write_text(report_html(record, coverage=coverage), encoding="utf-8")
    except Exception:  # noqa: BLE001 - the workers' own reports and the merged JUnit still stand
        log.exception("could not write the merged HTML report %s", target)
        return None
    return record, coverage


def write_merged_cucumber(project_dir: Path, workers: list[Worker], target: Path) -> bool:
    """The workers' Cucumber JSON as one document; False when no worker wrote any."""
    paths = [w.reports_dir / CUCUMBER_FILE for w in workers if (w.reports_dir / CUCUMBER_FILE).is_file()]
    if not paths:
        target.unlink(missing_ok=True)  # an earlier run's would pass for this one's
        return False
    order = [str(path.relative_to(project_dir)) for path in feature_files(project_dir / "features")]
    target.write_text(json.dumps(merge_cucumber(read_documents(paths), order)), encoding="utf-8")
    return True


def write_index(workers: list[Worker], codes: list[int], target: Path, seconds: float, merged: list[str]) -> None:
    """Links to the merged reports (``merged``: their file names) first, then to each worker's."""
    links = " · ".join(f"<a href='{html.escape(name)}'>{html.escape(name)}</a>" for name in merged)
    rows = "".join(
        f"<tr><td><a href='worker-{w.index}/report.html'>worker {w.index}</a></td>"
        f"<td>{'passed' if code == 0 else 'FAILED'}</td><td>{html.escape(', '.join(w.locations))}</td></tr>"
        for w, code in zip(workers, codes)
    )
    target.write_text(
        "<!doctype html><meta charset='utf-8'><title>Parallel run</title>"
        f"<h1>Parallel run: {len(workers)} workers, {seconds:.1f} s</h1>"
        f"<p>Merged: {links}</p>"
        "<h2>Each worker's own</h2>"
        f"<table border='1' cellpadding='4'><tr><th>report</th><th>result</th><th>scenarios</th></tr>{rows}</table>",
        encoding="utf-8",
    )


def run(project_dir: Path, count: int, behave_args: list[str]) -> int:
    settings = load_settings(project_dir, userdata_from_behave_args(behave_args))
    minimum = coverage_minimum(settings)
    root = settings.reports_dir / "parallel"
    timings_path = settings.reports_dir / TIMINGS_FILE
    # What an earlier run merged there (report.html, junit.xml, a worker this run does not have)
    # would be read as this run's: the folder is this run's alone.
    shutil.rmtree(root, ignore_errors=True)
    locations = scenario_locations(project_dir / "features", default_tags())
    workers = deal(locations, count, root, load_timings(timings_path))
    if not workers:
        print("no scenario selected: nothing was run", file=sys.stderr)
        return 1
    began = time.monotonic()
    processes = []
    for worker in workers:
        worker.reports_dir.mkdir(parents=True, exist_ok=True)
        processes.append(subprocess.Popen(command(worker, settings.resource_prefix, behave_args), cwd=project_dir))
    codes = [process.wait() for process in processes]
    seconds = time.monotonic() - began
    tests, bad = merge_junit(workers, root / "junit.xml")
    written = write_merged_report(project_dir, workers, root / REPORT_FILE, seconds)
    merged = [REPORT_FILE] if written else []
    record, coverage = written or (None, None)
    if record:
        update_timings(timings_path, timings_of(record))
        if coverage is not None:
            write_coverage(coverage, root)
            add_to_junit(root / "junit.xml", coverage_suite(coverage, minimum))
        # Counted from the report's record, which does not depend on JUnit being on.
        counts = record.counts()
        tests, bad = counts["passed"] + counts["failed"], counts["failed"]
    merged.append("junit.xml")
    if write_merged_cucumber(project_dir, workers, root / CUCUMBER_FILE):
        merged.append(CUCUMBER_FILE)
    write_index(workers, codes, root / "index.html", seconds, merged)
    see = root / (REPORT_FILE if REPORT_FILE in merged else "index.html")
    print(f"{len(workers)} workers, {tests} scenarios, {bad} failed, {seconds:.1f} s")
    print("\n".join(closing_lines(coverage, minimum, see, graphviz=dot_executable() is not None)))
    below = coverage is not None and bool(shortfalls(coverage, minimum))
    return 0 if all(code == 0 for code in codes) and not below else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness parallel", description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--processes", type=int, default=2)
    args, behave_args = parser.parse_known_args(argv)
    if args.processes < 1:
        parser.error(f"-n must be 1 or more, got {args.processes}")
    # Bad behave options stop here, with behave's own error and status 2, before any worker starts.
    Configuration(behave_args)
    return run(Path.cwd(), args.processes, behave_args)


if __name__ == "__main__":
    sys.exit(main())
