"""The suite split across behave processes: ``python -m harness parallel -n N [behave options]``.

The scenarios the options select (``harness/behave/selection.py``; not features: a feature's
scenarios may take very different times; an outline's examples one by one, for the same
reason) are dealt out to N behave processes in shares of about equal time, by how long each
took last time (``harness/behave/timings.py``; round-robin when no run was timed yet). Each
worker has its own stack (the embedded stack starts its own emulator; the aws stack makes its
own resources), its own ``RESOURCE_PREFIX`` and its own reports folder. As each scenario ends
its line is printed, whichever worker ran it (``harness/behave/scenario_lines.py``); each
worker's whole output is kept in its folder (``output.txt``) and its end printed if it failed.

At the end the workers' reports are merged into one run's (``SplitRun.merge``): ``report.html``
(one HTML report, as a serial run writes it, that names the worker of each scenario),
``junit/`` (one file per feature, as behave writes them, and the run's coverage),
``cucumber.json``, ``coverage.json``, ``run-summary.json`` and each worker's process logs under
``logs/worker-<i>/``. This command writes them in ``<REPORTS_DIR>/parallel/`` with the workers'
folders beside them, and adds ``junit.xml`` (every suite in one file) and ``index.html`` (links
to those and to each worker's own report); ``python -m harness acceptance`` writes them where a
serial run would (``harness/behave/acceptance.py``). The exit status is 1 if any worker failed,
if the run checked less than it selected, or if the merged coverage is below ``coverage_min``.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from behave.configuration import Configuration
from behave.exception import ConfigError, TagExpressionError
from behave.parser import parse_file
from behave.tag_expression import make_tag_expression

from harness.behave import scenario_lines
from harness.behave.cucumber import merge_cucumber, read_documents
from harness.behave.reporting import REPORT_FILE, closing_lines, coverage_minimum
from harness.behave.selection import Selection, select
from harness.behave.shared_emulator import shared_emulator
from harness.behave.split_outputs import gather_logs, merge_junit_by_feature, merge_summaries, write_summary
from harness.behave.timings import TIMINGS_FILE, deal_by_time, load_timings, timings_of, update_timings
from harness.files import write_whole
from harness.report.coverage_junit import (
    COVERAGE_JUNIT_FILE,
    coverage_suite,
    shortfalls,
    write_coverage_junit,
)
from harness.report.coverage_view import run_coverage, write_coverage
from harness.report.html import report_html
from harness.report.merge import WorkerRun, merge_runs, suite_features
from harness.report.record_file import load_run_record
from harness.report.records import RunRecord
from harness.report.render import dot_executable
from harness.settings import Settings, load_settings, userdata_from_behave_args
from harness.stacks.parent_death import dying_with_parent
from harness.statemachine.coverage import Coverage

log = logging.getLogger(__name__)

# Where the config file's cucumber formatter writes, once harness.behave.worker has moved it.
CUCUMBER_FILE = "cucumber.json"
OUTPUT_FILE = "output.txt"
# The lines of a failed worker's output the console repeats, to say why it failed.
FAILED_OUTPUT_LINES = 40


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


def command(worker: Worker, prefix: str, behave_args: list[str], shared: list[str] | None = None) -> list[str]:
    """The worker's behave command line; ``shared``: options that give it what the run shares."""
    return [
        # behave, with the files its config file writes moved into the worker's folder.
        sys.executable, "-m", "harness.behave.worker", str(worker.reports_dir),
        "--junit-directory", str(worker.reports_dir / "junit"),
        # plain: behave 1.3.3's progress formatter has no mark for a cleanup error and crashes.
        "-f", "plain", "-o", str(worker.reports_dir / "console.txt"),
        # One line per scenario as it ends, on the output the parent reads.
        "-f", "harness.behave.scenario_lines:ScenarioLines",
        *behave_args,
        # After the user's options, so a worker's own folder and prefix win.
        "-D", f"reports_dir={worker.reports_dir}",
        "-D", f"resource_prefix={prefix}-w{worker.index}",
        # The data of its HTML report too, for the merged one.
        "-D", "keep_run_record=yes",
        # A worker runs a share of the suite: the minimum applies to the merged coverage only.
        "-D", "coverage_min=",
        *(shared or []),
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
    project_dir: Path, workers: list[Worker], target: Path, seconds: float, notes: list[str] | None = None
) -> tuple[RunRecord, Coverage | None] | None:
    """One HTML report of the whole run, its record and coverage; None, with the reason logged,
    if it could not be written."""
    try:
        runs = [WorkerRun(w.name, w.locations, load_run_record(w.reports_dir)) for w in workers]
        suite = suite_features(project_dir, feature_files(project_dir / "features"))
        record = merge_runs(suite, runs, seconds)
        record.notes.extend(notes or [])
        coverage = run_coverage(record)
        write_whole(target, report_html(record, coverage=coverage))
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
    write_whole(target, json.dumps(merge_cucumber(read_documents(paths), order)))
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


def _relay(process: subprocess.Popen[str], worker: Worker, console: threading.Lock) -> None:
    """Keep the worker's output in its folder; print its scenario lines as they come."""
    assert process.stdout is not None
    with (worker.reports_dir / OUTPUT_FILE).open("w", encoding="utf-8") as kept:
        for line in process.stdout:
            body = scenario_lines.parsed(line.rstrip("\n"))
            if body is None:
                kept.write(line)
                continue
            with console:
                print(scenario_lines.shown(body, worker.name), flush=True)


def _tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output kept)"


@dataclass
class SplitRun:
    """One run of the selected scenarios across ``workers``, merged into ``folder``."""

    project_dir: Path
    settings: Settings
    selection: Selection
    folder: Path  # where the merged outputs go
    workers: list[Worker]
    codes: list[int] = field(default_factory=list)
    seconds: float = 0.0
    stopped: str | None = None  # why the run was stopped before its workers ended, if it was

    def run(self) -> None:
        """Start every worker, relay their scenario lines, wait for all of them."""
        console = threading.Lock()
        processes: list[subprocess.Popen[str]] = []
        relays = []

        stopping = threading.Event()

        def stop_workers(signum: int, frame: object) -> None:
            # Each worker stops its own stack on SIGTERM (harness/behave/hooks.py); none starts after.
            stopping.set()
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        def shared_stopped(reason: str) -> None:
            self.stopped = reason
            with console:
                print(f"RUN STOPPED: {reason}", flush=True)
            stop_workers(signal.SIGTERM, None)

        previous = signal.signal(signal.SIGTERM, stop_workers)
        began = time.monotonic()
        try:
            with shared_emulator(self.settings, self.folder / "logs", shared_stopped) as shared:
                for worker in self.workers:
                    if stopping.is_set():
                        break
                    worker.reports_dir.mkdir(parents=True, exist_ok=True)
                    # Dies with this process, as the stack's processes die with it (a worker's stack
                    # stops on the SIGTERM that brings).
                    argv, env = dying_with_parent(
                        command(worker, self.settings.resource_prefix, self.selection.options, shared), os.environ)
                    process = subprocess.Popen(
                        argv, env=env, cwd=self.project_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True, errors="replace", bufsize=1,
                    )
                    processes.append(process)
                    relay = threading.Thread(target=_relay, args=(process, worker, console), daemon=True)
                    relay.start()
                    relays.append(relay)
                self.codes = [process.wait() for process in processes]
                if stopping.is_set() and len(processes) < len(self.workers):
                    self.stopped = self.stopped or "stopped before every process had started"
                    self.codes += [1] * (len(self.workers) - len(processes))
        except KeyboardInterrupt:
            stop_workers(signal.SIGINT, None)
            for process in processes:
                process.wait()
            raise
        finally:
            signal.signal(signal.SIGTERM, previous)
            for relay in relays:
                relay.join()
            self.seconds = time.monotonic() - began

    def failed_workers(self, out: TextIO) -> None:
        for worker, code in zip(self.workers, self.codes):
            if code != 0:
                print(f"\n{worker.name} exited with status {code}; the end of its output "
                      f"({worker.reports_dir / OUTPUT_FILE}):\n{_tail(worker.reports_dir / OUTPUT_FILE, FAILED_OUTPUT_LINES)}",
                      file=out)

    def merge(self) -> tuple[RunRecord | None, Coverage | None, dict[str, Any]]:
        """The workers' outputs as one run's, in ``self.folder``."""
        folder, minimum = self.folder, coverage_minimum(self.settings)
        folders = [worker.reports_dir for worker in self.workers]
        notes = [f"Partial run ({'; '.join(self.selection.partial)})."] if self.selection.partial else []
        written = write_merged_report(self.project_dir, self.workers, folder / REPORT_FILE, self.seconds, notes)
        record, coverage = written or (None, None)
        merge_junit_by_feature(folders, folder / "junit")
        if coverage is not None:
            write_coverage(coverage, folder)
            write_coverage_junit(coverage, folder / "junit", minimum)
        if record is not None:
            update_timings(self.settings.reports_dir / TIMINGS_FILE, timings_of(record))
        write_merged_cucumber(self.project_dir, self.workers, folder / CUCUMBER_FILE)
        gather_logs(folders, folder / "logs")
        summary = merge_summaries(folders, len(self.workers))
        write_summary(summary, folder)
        return record, coverage, summary

    def verdict(self, record: RunRecord | None, coverage: Coverage | None, summary: dict[str, Any]) -> int:
        """Print the run's summary and last lines; 0 when it passed."""
        problems = [f"the run was stopped: {self.stopped}"] if self.stopped else []
        if summary["not_run"]:
            problems.append(f"{len(summary['not_run'])} selected scenario(s) did not run, with no declared reason: "
                            + "; ".join(summary["not_run"]))
        if summary["ran"] == 0:
            problems.append(f"no scenario ran ({summary['selected']} selected): a run that checked nothing is not a pass")
        minimum = coverage_minimum(self.settings)
        below = coverage is not None and bool(shortfalls(coverage, minimum))
        counts = record.counts() if record else {"passed": summary["passed"], "failed": summary["failed"]}
        # As behave counts them: every scenario of the features the run was given that did not run.
        skipped = max(0, self.selection.in_paths - counts["passed"] - counts["failed"])
        print(f"\n{counts['passed']} scenarios passed, {counts['failed']} failed, {skipped} skipped")
        print(f"Took {self.seconds:.1f} s, {len(self.workers)} behave processes")
        for problem in problems:
            print(f"RUN INCOMPLETE: {problem}")
        report = self.folder / REPORT_FILE if record is not None else None
        print("\n".join(closing_lines(coverage, minimum, report, graphviz=dot_executable() is not None)), flush=True)
        passed = all(code == 0 for code in self.codes) and not problems and not below and counts["failed"] == 0
        return 0 if passed else 1


def prepare(project_dir: Path, behave_args: list[str]) -> tuple[Settings, Selection]:
    """The run's settings and what it selects; behave's own error for bad options."""
    settings = load_settings(project_dir, userdata_from_behave_args(behave_args))
    coverage_minimum(settings)  # a bad value stops the run before anything starts
    return settings, select(project_dir, behave_args)


def run(project_dir: Path, count: int, behave_args: list[str]) -> int:
    settings, selection = prepare(project_dir, behave_args)
    root = settings.reports_dir / "parallel"
    # What an earlier run merged there (report.html, junit.xml, a worker this run does not have)
    # would be read as this run's: the folder is this run's alone.
    shutil.rmtree(root, ignore_errors=True)
    workers = deal(selection.locations, count, root, load_timings(settings.reports_dir / TIMINGS_FILE))
    if not workers:
        print("no scenario selected: nothing was run", file=sys.stderr)
        return 1
    split = SplitRun(project_dir, settings, selection, root, workers)
    split.run()
    split.failed_workers(sys.stdout)
    record, coverage, summary = split.merge()
    merged = [name for name in (REPORT_FILE,) if record is not None]
    merge_junit(workers, root / "junit.xml")
    if coverage is not None:
        add_to_junit(root / "junit.xml", coverage_suite(coverage, coverage_minimum(settings)))
    merged.append("junit.xml")
    if (root / CUCUMBER_FILE).is_file():
        merged.append(CUCUMBER_FILE)
    write_index(workers, split.codes, root / "index.html", split.seconds, merged)
    return split.verdict(record, coverage, summary)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness parallel", description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--processes", type=int, default=2)
    args, behave_args = parser.parse_known_args(argv)
    if args.processes < 1:
        parser.error(f"-n must be 1 or more, got {args.processes}")
    # Bad behave options stop here, with behave's own error, before any worker starts.
    try:
        Configuration(behave_args)
    except (ConfigError, TagExpressionError) as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    try:
        return run(Path.cwd(), args.processes, behave_args)
    except KeyboardInterrupt:  # each worker has stopped its stack by now
        print("interrupted: the run was stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
