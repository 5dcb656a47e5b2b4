"""The project's own programs die with the process that started them, without Python code run
between fork and exec: a behave worker of a split run whose runner was killed outright ends, and a
program whose parent died before it could ask for the signal ends at once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hamcrest import assert_that, equal_to

from harness.stacks.forked import process_ended
from harness.stacks.parent_death import PARENT_PID_SETTING
from harness.waiting import wait_until

PROJECT = Path(__file__).resolve().parent.parent

# A scenario that says it has started, then waits far longer than the test.
WAITING_FEATURE = """Feature: waits

  Scenario: waits for a minute
    Given a minute to wait
"""
WAITING_STEPS = """
import time
from pathlib import Path
from behave import given

@given("a minute to wait")
def wait(context):
    Path("started").write_text(str(__import__("os").getpid()))
    time.sleep(60)
"""


def _alive(pid: int) -> bool:
    return not process_ended(pid)


def test_a_behave_worker_ends_with_the_runner_that_started_it(tmp_path: Path) -> None:
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "waits.feature").write_text(WAITING_FEATURE)
    (tmp_path / "features" / "steps" / "waiting_steps.py").write_text(WAITING_STEPS)
    # The runner tells its worker its pid, as a split run does, and asks for nothing more.
    runner = textwrap.dedent(f"""
        import os, subprocess, sys
        env = {{**os.environ, "PYTHONPATH": {str(PROJECT)!r}, {PARENT_PID_SETTING!r}: str(os.getpid())}}
        worker = subprocess.Popen([sys.executable, "-m", "harness.behave.worker", {str(tmp_path / "reports")!r},
                                   "-f", "plain", "features"], env=env, cwd={str(tmp_path)!r})
        print(worker.pid, flush=True)
        sys.stdin.read()
    """)
    process = subprocess.Popen([sys.executable, "-c", runner], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, cwd=tmp_path)
    worker_pid = None
    try:
        worker_pid = int(process.stdout.readline())  # type: ignore[union-attr]
        wait_until(lambda: (tmp_path / "started").exists(), timeout=30, awaited="the worker's scenario to start")
        process.kill()
        process.wait(10)
        wait_until(lambda: not _alive(worker_pid), timeout=20, awaited="the worker to end with its runner")
    finally:
        if process.poll() is None:
            process.kill()
        if worker_pid is not None and _alive(worker_pid):
            os.kill(worker_pid, 9)


def test_a_program_whose_parent_died_before_it_asked_ends_at_once() -> None:
    # The parent it was given is not its parent (any more): it died before the request was made.
    program = ("from harness.stacks.parent_death import die_with_given_parent; die_with_given_parent(); "
               "import time; time.sleep(0.5); print('went on')")
    env = {**os.environ, "PYTHONPATH": str(PROJECT), PARENT_PID_SETTING: str(2**22 + 1)}
    run = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=30)
    assert_that((run.returncode, run.stdout), equal_to((-15, "")))


def _fake_setpriv(folder: Path, help_text: str) -> str:
    program = folder / "setpriv"
    program.write_text(f"#!/bin/sh\necho '{help_text}'\nexit 0\n")
    program.chmod(0o755)
    return str(program)


def test_a_setpriv_too_old_for_pdeathsig_is_not_put_before_programs(tmp_path: Path, monkeypatch) -> None:
    from harness.stacks import parent_death

    (tmp_path / "old").mkdir()
    (tmp_path / "recent").mkdir()
    old = _fake_setpriv(tmp_path / "old", " --reuid <id>  set real uid")  # util-linux before 2.33
    recent = _fake_setpriv(tmp_path / "recent", " --pdeathsig keep|clear|<signal>  set or clear parent death signal")
    assert_that((parent_death.knows_pdeathsig(old), parent_death.knows_pdeathsig(recent)), equal_to((False, True)))

    monkeypatch.setattr(parent_death.shutil, "which", lambda name: old if name == "setpriv" else "/bin/" + name)
    parent_death._setpriv.cache_clear()
    try:
        argv, _ = parent_death.dying_with_parent(["sleep", "1"], {})
    finally:
        parent_death._setpriv.cache_clear()
    assert_that(argv, equal_to(["sleep", "1"]))


def test_a_program_that_cannot_be_found_fails_to_start_at_once() -> None:
    from harness.stacks import parent_death

    argv, env = parent_death.dying_with_parent(["no-such-program-here"], {})
    try:
        subprocess.Popen(argv, env={**os.environ, **env})
    except FileNotFoundError:
        return
    raise AssertionError(f"started {argv} instead of failing at once")
