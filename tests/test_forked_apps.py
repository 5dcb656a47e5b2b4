"""Apps forked from the stack's zygote: run as ``python -m`` would run them, watched, signalled and
stopped as a spawned process is, dead with the zygote, spawned where the zygote cannot serve."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hamcrest import assert_that, equal_to, is_not

from harness.stacks import zygote
from harness.stacks.forked import UNKNOWN_STATUS, AppZygote, ForkedChild
from harness.stacks.processes import ManagedProcess
from harness.waiting import wait_until

PROJECT = Path(__file__).resolve().parent.parent

# Prints what it was given as one JSON line after READY, then does what its settings say.
PROGRAM = """
import json, os, signal, subprocess, sys, time
import boto3
loader = boto3.DEFAULT_SESSION._session.get_component("data_loader") if boto3.DEFAULT_SESSION else None
if os.environ.get("IGNORE_SIGTERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) if os.environ.get("CHILD") else None
print("READY", json.dumps({"argv": sys.argv[1:], "setting": os.environ.get("APP_SETTING"), "main": __name__,
      "stdin": sys.stdin.read(), "child": child.pid if child else None, "cwd": os.getcwd(),
      "warm_models": sorted({key[1] for key in getattr(loader, "_cache", {}) if key[0] == "load_service_model"})}),
      flush=True)
if os.environ.get("FREEZE"):
    os.kill(os.getpid(), signal.SIGSTOP)
    print("resumed", flush=True)
if os.environ.get("WAIT"):
    time.sleep(60)
sys.exit(int(os.environ.get("EXIT_STATUS", "0")))
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def _env(folder: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{PROJECT}{os.pathsep}{folder}", "PYTHONUNBUFFERED": "1", **extra}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "probe_app.py").write_text(PROGRAM)
    return tmp_path


@pytest.fixture
def app_zygote(folder: Path) -> Iterator[AppZygote]:
    started = AppZygote(_env(folder), folder / "zygote.log", folder, ["sqs", "stepfunctions"])
    started.start()
    yield started
    started.stop()


def _app(folder: Path, app_zygote: AppZygote, argv: list[str] | None = None, **settings: str) -> ManagedProcess:
    return ManagedProcess("probe", argv or [sys.executable, "-m", "probe_app", "--flag", "x"],
                          env=_env(folder, **settings), log_path=folder / "probe.log", cwd=folder, zygote=app_zygote)


def _given(process: ManagedProcess) -> dict:
    return json.loads(process.wait_ready(20))


def test_a_forked_app_runs_as_python_m_with_what_start_gives_and_its_exit_status_is_reported(
        folder: Path, app_zygote: AppZygote) -> None:
    process = _app(folder, app_zygote, APP_SETTING="given at start", EXIT_STATUS="3")
    process.start()
    assert isinstance(process._popen, ForkedChild)
    given = _given(process)
    assert_that({key: given[key] for key in ("argv", "setting", "main", "stdin", "cwd")},
                equal_to({"argv": ["--flag", "x"], "setting": "given at start", "main": "__main__", "stdin": "",
                          "cwd": str(folder)}))
    # The models the zygote read are the app's default session's: its clients need not parse them.
    assert_that(given["warm_models"], equal_to(["sqs", "stepfunctions"]))
    wait_until(lambda: not process.running, timeout=20, awaited="the app to exit")
    assert_that(process.returncode, equal_to(3))


def test_stop_signals_the_apps_group_and_a_restart_is_a_new_fork_with_its_own_log(
        folder: Path, app_zygote: AppZygote) -> None:
    process = _app(folder, app_zygote, CHILD="1", WAIT="1")
    process.start()
    first = _given(process)
    first_pid = process.pid
    process.stop(timeout=10)
    assert_that(process.returncode, equal_to(-signal.SIGTERM))
    wait_until(lambda: not _alive(first["child"]), timeout=10, awaited="the app's own child to end with it")
    process.start()
    assert_that(process.pid, is_not(equal_to(first_pid)))
    assert_that(_given(process)["child"], is_not(equal_to(first["child"])))
    assert_that(process.output().count("READY"), equal_to(1))
    process.kill()
    assert_that(process.returncode, equal_to(-signal.SIGKILL))


def test_an_app_deaf_to_sigterm_is_killed_at_the_deadline(folder: Path, app_zygote: AppZygote) -> None:
    process = _app(folder, app_zygote, IGNORE_SIGTERM="1", WAIT="1")
    process.start()
    _given(process)
    process.stop(timeout=0.5)
    assert_that(process.returncode, equal_to(-signal.SIGKILL))


def test_a_frozen_app_goes_on_when_resumed(folder: Path, app_zygote: AppZygote) -> None:
    process = _app(folder, app_zygote, FREEZE="1")
    process.start()
    _given(process)
    wait_until(lambda: open(f"/proc/{process.pid}/stat").read().rsplit(")", 1)[-1].split()[0] == "T",
               timeout=10, awaited="the app to stop itself")
    process.resume()
    wait_until(lambda: "resumed" in process.output(), timeout=10, awaited="the app to go on")
    wait_until(lambda: not process.running, timeout=10, awaited="the app to exit")
    assert_that(process.returncode, equal_to(0))


def test_the_zygotes_death_ends_its_apps_and_their_end_is_seen(folder: Path, app_zygote: AppZygote) -> None:
    process = _app(folder, app_zygote, WAIT="1")
    process.start()
    _given(process)
    assert app_zygote.pid is not None
    os.kill(app_zygote.pid, signal.SIGKILL)
    assert_that(process._popen.wait(10), equal_to(UNKNOWN_STATUS))
    assert_that(process.running, equal_to(False))
    # With the zygote gone the next start is spawned, as before.
    process.env = _env(folder)
    process.start()
    assert isinstance(process._popen, subprocess.Popen)
    _given(process)


def test_a_runner_killed_outright_leaves_neither_zygote_nor_app(folder: Path) -> None:
    runner = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        sys.path.insert(0, {str(PROJECT)!r})
        from harness.stacks.forked import AppZygote
        from harness.stacks.processes import ManagedProcess
        folder = Path({str(folder)!r})
        env = {{**os.environ, "PYTHONPATH": {f"{PROJECT}{os.pathsep}{folder}"!r}, "PYTHONUNBUFFERED": "1"}}
        app_zygote = AppZygote(env, folder / "zygote.log", folder, [])
        app_zygote.start()
        app = ManagedProcess("probe", [sys.executable, "-m", "probe_app"], env={{**env, "WAIT": "1"}},
                             log_path=folder / "probe.log", cwd=folder, zygote=app_zygote)
        app.start()
        app.wait_ready(20)
        print(app_zygote.pid, app.pid, flush=True)
        sys.stdin.read()
    """)
    process = subprocess.Popen([sys.executable, "-c", runner], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        zygote_pid, app_pid = (int(pid) for pid in process.stdout.readline().split())  # type: ignore[union-attr]
        process.kill()
        process.wait(10)
        wait_until(lambda: not _alive(zygote_pid) and not _alive(app_pid), timeout=20,
                   awaited="the zygote and its app to end with the runner")
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("case", ["other PYTHON settings", "not python -m", "no zygote running"])
def test_what_the_zygote_cannot_serve_is_spawned(folder: Path, app_zygote: AppZygote, case: str) -> None:
    argv = [sys.executable, "-m", "probe_app"]
    settings: dict[str, str] = {}
    if case == "other PYTHON settings":
        settings["PYTHONHASHSEED"] = "7"
    elif case == "not python -m":
        argv = [sys.executable, str(folder / "probe_app.py")]
    else:
        app_zygote.stop()
    process = _app(folder, app_zygote, argv, APP_SETTING="spawned", **settings)
    process.start()
    assert isinstance(process._popen, subprocess.Popen)
    assert_that(_given(process)["setting"], equal_to("spawned"))
    wait_until(lambda: not process.running, timeout=20, awaited="the app to exit")
    assert_that(process.returncode, equal_to(0))


@pytest.mark.parametrize("line, message", [
    ('{"fork": 1, "argv": ["probe_app"], "env": {}, "log": "x"}', "argv"),
    ('{"fork": 1, "argv": ["-m", "probe_app"], "env": {"A": 1}, "log": "x"}', "env"),
    ('{"fork": 1, "argv": ["-m", "probe_app"], "env": {}}', "log"),
])
def test_an_order_that_is_not_a_module_an_environment_and_a_log_is_refused_by_name(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        zygote.read_order(line)
