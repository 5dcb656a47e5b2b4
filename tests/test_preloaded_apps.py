"""Apps started in an interpreter loaded ahead: the program, its arguments and environment are
the ones given at start, in the process the stack already watches."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hamcrest import assert_that, equal_to, is_not

from harness.stacks import preload
from harness.stacks.processes import ManagedProcess
from harness.waiting import wait_until

# Prints what it was given as one JSON line after READY, then exits with the status it is told.
PROGRAM = """
import json, os, sys
print("READY", json.dumps({"argv": sys.argv[1:], "setting": os.environ.get("APP_SETTING"),
      "main": __name__, "stdin": sys.stdin.read()}), flush=True)
sys.exit(int(os.environ.get("EXIT_STATUS", "0")))
"""


@pytest.fixture
def program(tmp_path: Path) -> str:
    (tmp_path / "probe_app.py").write_text(PROGRAM)
    return "probe_app"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONUNBUFFERED": "1", **extra}


def _given(process: ManagedProcess) -> dict:
    return json.loads(process.wait_ready(20))


def test_a_preloaded_app_runs_with_what_start_gives_in_the_same_process(tmp_path: Path, program: str) -> None:
    process = ManagedProcess("probe", [sys.executable, "-m", program, "--flag", "x"], env={},
                             log_path=tmp_path / "p.log")
    process.preload(_env(tmp_path))
    held_pid = process.pid
    process.env = _env(tmp_path, APP_SETTING="given at start", EXIT_STATUS="3")
    process.start()
    assert_that(_given(process), equal_to({"argv": ["--flag", "x"], "setting": "given at start",
                                            "main": "__main__", "stdin": ""}))
    assert_that(process.pid, equal_to(held_pid))
    wait_until(lambda: not process.running, timeout=20, awaited="the app to exit")
    assert_that(process.returncode, equal_to(3))


def test_an_app_whose_python_settings_differ_starts_anew(tmp_path: Path, program: str) -> None:
    process = ManagedProcess("probe", [sys.executable, "-m", program], env={}, log_path=tmp_path / "p.log")
    process.preload(_env(tmp_path))
    held_pid = process.pid
    process.env = _env(tmp_path, APP_SETTING="anew", PYTHONHASHSEED="7")
    process.start()
    assert_that(_given(process)["setting"], equal_to("anew"))
    assert_that(process.pid, is_not(equal_to(held_pid)))
    process.stop(timeout=10)


def test_a_held_interpreter_stopped_before_its_app_starts_leaves_quietly(tmp_path: Path, program: str) -> None:
    process = ManagedProcess("probe", [sys.executable, "-m", program], env={}, log_path=tmp_path / "p.log")
    process.preload(_env(tmp_path))
    process.stop(timeout=10)
    assert_that(process.running, equal_to(False))


@pytest.mark.parametrize("line, message", [
    ('{"argv": ["probe_app"], "env": {}}', "argv"),
    ('{"argv": ["-m", "probe_app"], "env": {"A": 1}}', "env"),
])
def test_a_go_line_that_is_not_a_module_and_an_environment_is_refused_by_name(line: str, message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        preload.read_order(line)
    assert_that(preload.read_order("\n"), equal_to(None))
