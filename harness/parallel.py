"""The suite split across behave processes: ``python -m harness.parallel -n N [behave options]``.

Scenarios (not features: a feature's scenarios may take very different times) are dealt out
round-robin to N behave processes. Each worker has its own stack (the embedded stack starts its
own emulator; the aws stack makes its own resources), its own ``RESOURCE_PREFIX`` and its own
reports folder, ``<REPORTS_DIR>/parallel/worker-<i>/``. At the end the JUnit XML of every worker
is merged into ``<REPORTS_DIR>/parallel/junit.xml`` and ``<REPORTS_DIR>/parallel/index.html``
links each worker's HTML report. The exit status is 1 if any worker failed.
"""

from __future__ import annotations

import argparse
import html
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from behave.parser import parse_file
from behave.tag_expression import make_tag_expression

from harness.settings import load_settings


@dataclass(frozen=True)
class Worker:
    index: int
    locations: list[str]
    reports_dir: Path


def default_tags(project_dir: Path) -> list[str]:
    config = tomllib.loads((project_dir / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config.get("tool", {}).get("behave", {}).get("default_tags", []))


def scenario_locations(features_dir: Path, tags: list[str]) -> list[str]:
    """``file:line`` of every scenario (an outline counts once) the tag expression selects."""
    selects = make_tag_expression(tags) if tags else None
    found = []
    for path in sorted(features_dir.rglob("*.feature")):
        feature = parse_file(str(path))
        if feature is None:
            continue
        for scenario in feature.walk_scenarios(with_outlines=True):
            if getattr(scenario, "_row", None) is not None:
                continue  # an example of an outline: the outline runs it
            if selects is None or selects.check(scenario.effective_tags):
                found.append(f"{path.relative_to(features_dir.parent)}:{scenario.line}")
    return found


def deal(locations: list[str], count: int, root: Path) -> list[Worker]:
    hands: list[list[str]] = [[] for _ in range(count)]
    for position, location in enumerate(locations):
        hands[position % count].append(location)
    return [Worker(i, hand, root / f"worker-{i}") for i, hand in enumerate(hands) if hand]


def command(worker: Worker, prefix: str, behave_args: list[str]) -> list[str]:
    return [
        sys.executable, "-m", "behave",
        "--junit-directory", str(worker.reports_dir / "junit"),
        # plain: behave 1.3.3's progress formatter has no mark for a cleanup error and crashes.
        "-f", "plain", "-o", str(worker.reports_dir / "console.txt"),
        *behave_args,
        # After the user's options, so a worker's own folder and prefix win.
        "-D", f"reports_dir={worker.reports_dir}",
        "-D", f"resource_prefix={prefix}-w{worker.index}",
        *worker.locations,
    ]


def merge_junit(workers: list[Worker], target: Path) -> tuple[int, int]:
    """Every worker's test suites in one ``<testsuites>``; returns (tests, failures + errors)."""
    merged = ET.Element("testsuites")
    for worker in workers:
        for path in sorted((worker.reports_dir / "junit").glob("*.xml")):
            suite = ET.parse(path).getroot()
            suite.set("hostname", f"worker-{worker.index}")
            merged.append(suite)
    tests = sum(int(s.get("tests", 0)) - int(s.get("skipped", 0)) for s in merged)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in merged)
    merged.set("tests", str(tests))
    merged.set("failures", str(bad))
    ET.ElementTree(merged).write(target, encoding="utf-8", xml_declaration=True)
    return tests, bad


def write_index(workers: list[Worker], codes: list[int], target: Path, seconds: float) -> None:
    rows = "".join(
        f"<tr><td><a href='worker-{w.index}/report.html'>worker {w.index}</a></td>"
        f"<td>{'passed' if code == 0 else 'FAILED'}</td><td>{html.escape(', '.join(w.locations))}</td></tr>"
        for w, code in zip(workers, codes)
    )
    target.write_text(
        "<!doctype html><meta charset='utf-8'><title>Parallel run</title>"
        f"<h1>Parallel run: {len(workers)} workers, {seconds:.1f} s</h1>"
        "<p>Merged JUnit: <a href='junit.xml'>junit.xml</a></p>"
        f"<table border='1' cellpadding='4'><tr><th>report</th><th>result</th><th>scenarios</th></tr>{rows}</table>",
        encoding="utf-8",
    )


def userdata(behave_args: list[str]) -> dict[str, str]:
    """The ``-D name=value`` pairs among behave's options: the workers' settings, so ours too."""
    pairs = [value for flag, value in zip(behave_args, behave_args[1:]) if flag in ("-D", "--define")]
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


def run(project_dir: Path, count: int, behave_args: list[str]) -> int:
    settings = load_settings(project_dir, userdata(behave_args))
    root = settings.reports_dir / "parallel"
    locations = scenario_locations(project_dir / "features", default_tags(project_dir))
    workers = deal(locations, count, root)
    began = time.monotonic()
    processes = []
    for worker in workers:
        worker.reports_dir.mkdir(parents=True, exist_ok=True)
        processes.append(subprocess.Popen(command(worker, settings.resource_prefix, behave_args), cwd=project_dir))
    codes = [process.wait() for process in processes]
    seconds = time.monotonic() - began
    tests, bad = merge_junit(workers, root / "junit.xml")
    write_index(workers, codes, root / "index.html", seconds)
    print(f"{len(workers)} workers, {tests} scenarios, {bad} failed, {seconds:.1f} s; see {root / 'index.html'}")
    return 0 if all(code == 0 for code in codes) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.parallel", description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--processes", type=int, default=2)
    args, behave_args = parser.parse_known_args(argv)
    return run(Path.cwd(), args.processes, behave_args)


if __name__ == "__main__":
    sys.exit(main())
