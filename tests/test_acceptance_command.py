"""``python -m harness acceptance``, for real: a pipeline's suite split across behave processes,
each with its own embedded stack, reported as one run where a serial run reports.

Run on a copy of the second pipeline (examples/order-approval), with one scenario planted to
fail: the command must fail for it, print each scenario as it ends and the report's path last,
write the reports of one run, and leave nothing running when it is stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.waiting import wait_until

PROJECT = Path(__file__).resolve().parent.parent
PLANTED = """Feature: A check planted to fail

  Scenario: a small order wrongly expected to be rejected
    When a customer orders 3 books at 12.50 each
    Then the order is rejected
"""


@pytest.fixture
def pipeline(tmp_path: Path) -> Path:
    copy = tmp_path / "order-approval"
    shutil.copytree(PROJECT / "examples" / "order-approval", copy, ignore=shutil.ignore_patterns("reports"))
    (copy / "features" / "planted.feature").write_text(PLANTED)
    return copy


def _acceptance(pipeline: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "harness", "acceptance", "--processes", "2", *args]


# Every process of a run started by a test carries this in its environment (the stack gives each
# process the run's settings, which hold the environment), wherever it runs and whoever its parent
# is now: an orphan, re-parented to init, is found by it all the same.
RUN_MARK = "ACCEPTANCE_TEST_RUN"


def _environment(mark: str = "") -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT), RUN_MARK: mark}


def test_a_split_run_reports_as_one_run_and_fails_for_the_scenario_that_failed(pipeline: Path) -> None:
    run = subprocess.run(_acceptance(pipeline), cwd=pipeline, env=_environment(), capture_output=True, text=True,
                         timeout=300)
    lines = run.stdout.strip().splitlines()
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    told = [line for line in lines if line.startswith(("  passed", "  FAILED"))]
    assert len(told) == 4 and sum(line.startswith("  FAILED") for line in told) == 1, told
    assert any("features/planted.feature:3" in line for line in told if line.startswith("  FAILED"))
    assert lines[-1] == f"HTML report: {pipeline / 'reports' / 'report.html'}"
    assert lines[-2].startswith("state machine coverage:")
    assert "3 scenarios passed, 1 failed, 0 skipped" in lines

    reports = pipeline / "reports"
    summary = json.loads((reports / "run-summary.json").read_text())
    assert (summary["ran"], summary["passed"], summary["failed"], summary["processes"]) == (4, 3, 1, 2)
    cases = {path.name: len(ET.parse(path).getroot().findall("testcase")) for path in (reports / "junit").iterdir()}
    assert cases == {"TESTS-orders.xml": 3, "TESTS-planted.xml": 1,
                     "TESTS-state-machine-coverage.xml": 3}
    # Its behave configuration asks for no Cucumber JSON: as a serial run, the split one writes none.
    assert not (reports / "cucumber.json").exists()
    assert "a small order wrongly expected to be rejected" in (reports / "report.html").read_text()
    assert (reports / "coverage.json").is_file()
    # One emulator for the run, shared; each process's own app.
    assert sorted(path.name for path in (reports / "logs").iterdir()) == ["emulator.log", "worker-0", "worker-1"]
    assert all((reports / "logs" / worker / "approver.log").is_file() for worker in ("worker-0", "worker-1"))
    assert not any((reports / "logs" / worker / "emulator.log").exists() for worker in ("worker-0", "worker-1"))


def test_a_narrowed_run_writes_in_the_partial_folder_and_passes(pipeline: Path) -> None:
    run = subprocess.run(_acceptance(pipeline, "features/orders.feature"), cwd=pipeline, env=_environment(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.stdout.strip().splitlines()[-1] == f"HTML report: {pipeline / 'reports' / 'partial' / 'report.html'}"
    assert json.loads((pipeline / "reports" / "partial" / "run-summary.json").read_text())["ran"] == 3
    assert "Partial run" in (pipeline / "reports" / "partial" / "report.html").read_text()
    assert not (pipeline / "reports" / "report.html").exists()


# An app's process on the embedded stack is a fork of the stack's app zygote: it carries the
# zygote's command line, ``python -m harness.stacks.zygote`` (harness/stacks/zygote.py), and the
# zygote is its parent; the zygote's own parent is the behave worker.
ZYGOTE = "harness.stacks.zygote"


def _processes_of(folder: Path, mark: str = "") -> list[str]:
    """Every live process of the run: its folder is the pipeline's, or its environment has the
    run's mark; whatever its parent (``pid ppid: command``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state, parent = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[:2]
            cwd = os.readlink(entry / "cwd")
            marked = bool(mark) and f"{RUN_MARK}={mark}".encode() in (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if state not in ("Z", "X") and command.strip() and (cwd.startswith(str(folder)) or marked):
            found.append(f"{entry.name} {parent}: {command}")
    return found


def _forked_app_running(folder: Path, mark: str) -> bool:
    found = {line.split(":", 1)[0].split()[0]: line for line in _processes_of(folder, mark)}
    return any(ZYGOTE in line and ZYGOTE in found.get(line.split(":", 1)[0].split()[1], "") for line in found.values())


@pytest.mark.parametrize("when", ["an app of the run to start", "the shared emulator to start"])
def test_sigterm_stops_every_process_and_every_stack(pipeline: Path, when: str) -> None:
    mark = uuid.uuid4().hex
    process = subprocess.Popen(_acceptance(pipeline), cwd=pipeline, env=_environment(mark), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        # Stopped while the stacks start, or run: the run would otherwise go on to tell all four scenarios.
        if when.startswith("an app"):
            wait_until(lambda: _forked_app_running(pipeline, mark), timeout=60, awaited=when,
                       describe_last=lambda: "; ".join(_processes_of(pipeline, mark)))
        else:
            wait_until(lambda: any("harness.stacks.emulator" in found for found in _processes_of(pipeline, mark)),
                       timeout=60, awaited=when)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    told = [line for line in output.splitlines() if line.startswith(("  passed", "  FAILED"))]
    assert len(told) < 4, f"the run went on to the end: {told}"
    wait_until(lambda: not _processes_of(pipeline, mark), timeout=30, awaited="every process of the run to end",
               describe_last=lambda: "; ".join(_processes_of(pipeline, mark)))


def test_the_run_stops_saying_why_when_its_shared_emulator_dies(pipeline: Path) -> None:
    mark = uuid.uuid4().hex
    process = subprocess.Popen(_acceptance(pipeline), cwd=pipeline, env=_environment(mark), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: _forked_app_running(pipeline, mark), timeout=60, awaited="an app of the run to start")
        emulator = next(found for found in _processes_of(pipeline, mark) if "harness.stacks.emulator" in found)
        os.kill(int(emulator.split()[0]), signal.SIGKILL)
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1
    assert "RUN STOPPED: the emulator shared by the run's processes stopped (exit status -9)" in output
    wait_until(lambda: not _processes_of(pipeline, mark), timeout=30, awaited="every process of the run to end",
               describe_last=lambda: "; ".join(_processes_of(pipeline, mark)))
