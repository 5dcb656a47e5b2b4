"""Managed processes: ready lines, early exits and stops that leave nothing behind."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from harness.stacks.forked import process_ended
from harness.stacks.processes import ManagedProcess, ProcessFailed

READY_THEN_WAIT = "import time; print('READY http://x:1', flush=True); time.sleep(60)"


def _process(tmp_path: Path, code: str) -> ManagedProcess:
    return ManagedProcess("probe", [sys.executable, "-c", code], env=dict(os.environ), log_path=tmp_path / "p.log")


def _alive(pid: int) -> bool:
    return not process_ended(pid)


def test_the_ready_line_gives_the_endpoint_and_stop_ends_the_process(tmp_path: Path) -> None:
    process = _process(tmp_path, READY_THEN_WAIT)
    process.start()
    assert process.wait_ready(10) == "http://x:1"
    pid = process.pid
    process.stop(timeout=5)
    assert pid is not None and not _alive(pid)


def test_a_process_that_exits_early_fails_with_its_output(tmp_path: Path) -> None:
    process = _process(tmp_path, "import sys; print('no key given'); sys.exit(3)")
    process.start()
    with pytest.raises(ProcessFailed, match=r"exited with status 3 before it was ready(.|\n)*no key given"):
        process.wait_ready(10)


def test_a_process_that_never_gets_ready_fails_at_the_deadline(tmp_path: Path) -> None:
    process = _process(tmp_path, "import time; time.sleep(60)")
    process.start()
    try:
        with pytest.raises(ProcessFailed, match="waited 0.3 s for probe to print 'READY'"):
            process.wait_ready(0.3)
    finally:
        process.stop()


def test_children_of_a_stopped_process_are_stopped_too(tmp_path: Path) -> None:
    code = (
        "import subprocess, sys, time;"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
        "print(f'READY {child.pid}', flush=True); time.sleep(60)"
    )
    process = _process(tmp_path, code)
    process.start()
    child = int(process.wait_ready(10))
    process.stop(timeout=5)
    from harness.waiting import wait_until

    wait_until(lambda: not _alive(child), timeout=5, awaited=f"child {child} to end")
