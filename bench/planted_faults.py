"""Plant realistic faults one at a time and see which suites catch them: the suites' score.

    python bench/planted_faults.py [FAULT_ID ...] [--list] [--no-baseline] [--json FILE]

Each fault of ``bench/planted_faults.json`` is a small edit a developer might make (a find and
replace in one file), planted in a fresh copy of the project (the files git knows, edits not yet
committed included), never in the project itself. In that copy the fault's suites run, each the
narrowest that should catch it: a behave feature (or some of its scenarios), a pytest file, or a
command. A suite that fails has caught the fault. First, the same suites run once on an
unchanged copy: a suite that fails there proves nothing, and the run stops.

Prints each fault with the suites that caught it, then the score (caught / planted). It does not
pass or fail on the score: it is a measure, kept in the README and docs/planted-faults.md. It
takes about half an hour on 2 cores, so CI does not run it; `make planted-faults` does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
FAULTS_FILE = Path(__file__).resolve().parent / "planted_faults.json"
BIN = Path(sys.executable).parent
# A suite that runs longer than this has hung: that counts as caught, and is said so.
SUITE_TIMEOUT_SECONDS = 600


class FaultListError(ValueError):
    """The list of faults no longer matches the code (a find string is gone or ambiguous)."""


@dataclass(frozen=True)
class Suite:
    kind: str  # behave, pytest or command
    args: tuple[str, ...]

    @classmethod
    def parse(cls, spec: list[str]) -> Suite:
        if not spec or spec[0] not in ("behave", "pytest", "command"):
            raise FaultListError(f"a suite is ['behave'|'pytest'|'command', args...], got {spec!r}")
        return cls(spec[0], tuple(spec[1:]))

    @property
    def label(self) -> str:
        return " ".join((self.kind, *self.args))

    def argv(self, reports: Path) -> list[str] | str:
        if self.kind == "behave":
            return [str(BIN / "behave"), "-f", "plain", "--no-capture", "-D", f"reports_dir={reports}",
                    "--junit-directory", str(reports / "junit"), *self.args]
        if self.kind == "pytest":
            return [str(BIN / "python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *self.args]
        return " ".join(self.args)  # a shell command, run with the venv's bin first on PATH


@dataclass
class Fault:
    id: str
    what: str
    file: str
    find: str
    replace: str
    suites: list[Suite]
    occurrences: int = 1
    caught_by: list[str] = field(default_factory=list)
    missed_by: list[str] = field(default_factory=list)

    def plant(self, tree: Path) -> None:
        path = tree / self.file
        text = path.read_text(encoding="utf-8")
        found = text.count(self.find)
        if found != self.occurrences:
            raise FaultListError(
                f"fault {self.id}: {self.file} has {found} occurrence(s) of its find string, "
                f"expected {self.occurrences}: update bench/planted_faults.json"
            )
        path.write_text(text.replace(self.find, self.replace), encoding="utf-8")


def load_faults(path: Path) -> list[Fault]:
    faults = []
    for entry in json.loads(path.read_text(encoding="utf-8")):
        suites = [Suite.parse(spec) for spec in entry.pop("suites")]
        faults.append(Fault(suites=suites, **entry))
    ids = [fault.id for fault in faults]
    if len(set(ids)) != len(ids):
        raise FaultListError("two faults share an id")
    return faults


def copy_tree(target: Path) -> Path:
    """The project as git sees it, uncommitted edits included, without reports or the venv."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_DIR, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = PROJECT_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def run_suite(suite: Suite, tree: Path, log: Path) -> tuple[bool, float]:
    """Whether the suite passed in that tree, and how long it took."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONPATH": str(tree)}
    argv = suite.argv(tree / "reports" / "planted")
    began = time.monotonic()
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {suite.label}\n")
        out.flush()
        try:
            done = subprocess.run(argv, cwd=tree, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  shell=isinstance(argv, str), timeout=SUITE_TIMEOUT_SECONDS)
            passed = done.returncode == 0
        except subprocess.TimeoutExpired:
            out.write(f"\n(timed out after {SUITE_TIMEOUT_SECONDS} s)\n")
            passed = False
    return passed, time.monotonic() - began


def with_fault(fault: Fault | None, suites: list[Suite], logs: Path) -> dict[str, bool]:
    name = fault.id if fault else "baseline"
    with tempfile.TemporaryDirectory(prefix=f"planted-{name}-") as scratch:
        tree = copy_tree(Path(scratch))
        if fault:
            fault.plant(tree)
        results = {}
        for suite in suites:
            passed, seconds = run_suite(suite, tree, logs / f"{name}.log")
            results[suite.label] = passed
            print(f"  {'passed' if passed else 'FAILED'}  {suite.label}  ({seconds:.0f} s)", flush=True)
        return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="only these faults (all by default)")
    parser.add_argument("--list", action="store_true", help="print the faults and their suites, run nothing")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run on the unchanged tree")
    parser.add_argument("--json", type=Path, help="also write the results there")
    args = parser.parse_args(argv)
    faults = load_faults(FAULTS_FILE)
    if args.ids:
        unknown = set(args.ids) - {fault.id for fault in faults}
        if unknown:
            parser.error(f"no such fault: {', '.join(sorted(unknown))}")
        faults = [fault for fault in faults if fault.id in args.ids]
    if args.list:
        for fault in faults:
            print(f"{fault.id}: {fault.what}\n    " + "\n    ".join(s.label for s in fault.suites))
        return 0
    logs = PROJECT_DIR / "reports" / "planted-faults"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    if not args.no_baseline:
        every_suite = list(dict.fromkeys(suite for fault in faults for suite in fault.suites))
        print(f"baseline: {len(every_suite)} suites on the unchanged tree", flush=True)
        broken = [label for label, passed in with_fault(None, every_suite, logs).items() if not passed]
        if broken:
            print(f"the unchanged tree fails {', '.join(broken)}: fix that first (see {logs})", file=sys.stderr)
            return 2
    for fault in faults:
        print(f"{fault.id}: {fault.what}", flush=True)
        for label, passed in with_fault(fault, fault.suites, logs).items():
            (fault.missed_by if passed else fault.caught_by).append(label)
    caught = [fault for fault in faults if fault.caught_by]
    print(f"\n{'fault':32} caught by")
    for fault in faults:
        print(f"{fault.id:32} {', '.join(fault.caught_by) or 'NOTHING'}")
    print(f"\nscore: {len(caught)} of {len(faults)} planted faults caught (logs: {logs})")
    if args.json:
        args.json.write_text(json.dumps(
            [{"id": f.id, "what": f.what, "caught_by": f.caught_by, "missed_by": f.missed_by} for f in faults],
            indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FaultListError as exc:
        print(f"planted faults: {exc}", file=sys.stderr)
        sys.exit(2)
