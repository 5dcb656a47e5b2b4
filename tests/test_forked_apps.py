"""Apps forked from the stack's zygote: run as ``python -m`` would run them, watched, signalled and
stopped as a spawned process is, dead with the zygote, spawned where the zygote cannot serve."""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hamcrest import assert_that, equal_to, is_not

from harness.stacks import processes, zygote
from harness.stacks.forked import UNKNOWN_STATUS, AppZygote, ForkedChild, process_ended, start_time
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
      "zygote_setting": os.environ.get("ZYGOTE_SETTING"), "tzname": list(time.tzname),
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
    return not process_ended(pid)


def _live_children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
        except (OSError, ValueError):
            continue
        if fields[1] == str(pid) and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _env(folder: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{PROJECT}{os.pathsep}{folder}", "PYTHONUNBUFFERED": "1", **extra}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "probe_app.py").write_text(PROGRAM)
    return tmp_path


@pytest.fixture
def app_zygote(folder: Path) -> Iterator[AppZygote]:
    # Started in a folder of its own, with a setting no app has: an app's folder and environment
    # must be those its start gives, not the zygote's.
    (folder / "elsewhere").mkdir()
    started = AppZygote(_env(folder, ZYGOTE_SETTING="the zygote's"), folder / "zygote.log", folder / "elsewhere",
                        ["sqs", "stepfunctions"])
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
    assert_that({key: given[key] for key in ("argv", "setting", "main", "stdin", "cwd", "zygote_setting")},
                equal_to({"argv": ["--flag", "x"], "setting": "given at start", "main": "__main__", "stdin": "",
                          "cwd": str(folder), "zygote_setting": None}))
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


def test_a_fork_the_zygote_cannot_make_is_spawned_and_the_apps_forked_before_run_on(
        folder: Path, app_zygote: AppZygote) -> None:
    first = _app(folder, app_zygote, WAIT="1")
    first.start()
    _given(first)
    assert app_zygote.pid is not None
    # No file descriptor left for the zygote: its next fork fails (EMFILE), as when a machine runs out.
    limits = resource.prlimit(app_zygote.pid, resource.RLIMIT_NOFILE)
    in_use = len(os.listdir(f"/proc/{app_zygote.pid}/fd"))
    resource.prlimit(app_zygote.pid, resource.RLIMIT_NOFILE, (in_use, limits[1]))
    second = ManagedProcess("second", [sys.executable, "-m", "probe_app"], env=_env(folder, WAIT="1"),
                            log_path=folder / "second.log", cwd=folder, zygote=app_zygote)
    second.start()
    assert isinstance(second._popen, subprocess.Popen)
    _given(second)
    assert_that((app_zygote.running, first.running), equal_to((True, True)))
    resource.prlimit(app_zygote.pid, resource.RLIMIT_NOFILE, limits)
    third = ManagedProcess("third", [sys.executable, "-m", "probe_app"], env=_env(folder),
                           log_path=folder / "third.log", cwd=folder, zygote=app_zygote)
    third.start()
    assert isinstance(third._popen, ForkedChild)
    _given(third)
    for process in (first, second, third):
        process.stop()


def test_a_zygote_that_did_not_answer_in_time_is_not_used_again_and_its_late_fork_is_killed(
        folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    slow = AppZygote(_env(folder), folder / "zygote.log", folder, [], fork_timeout=1.0)
    slow.start()
    try:
        warm = _app(folder, slow)
        warm.start()  # the zygote has loaded and serves
        _given(warm)
        assert slow.pid is not None
        os.kill(slow.pid, signal.SIGSTOP)
        try:
            late = _app(folder, slow, WAIT="1")
            late.start()
            assert isinstance(late._popen, subprocess.Popen)
            # Each later app would wait as long again: it is spawned at once.
            assert_that(slow.serves(late.argv, late.env), equal_to(False))
        finally:
            os.kill(slow.pid, signal.SIGCONT)
        with caplog.at_level(logging.WARNING, logger="harness.stacks.forked"):
            wait_until(lambda: any("after it was given up on" in r.getMessage() for r in caplog.records),
                       timeout=20, awaited="the zygote to fork the order given up on")
            wait_until(lambda: not _live_children(slow.pid), timeout=20, awaited="the late fork to be killed")
        late.stop()
    finally:
        slow.stop()


def test_a_fork_interrupted_while_awaited_is_killed_when_it_comes(
        folder: Path, app_zygote: AppZygote, caplog: pytest.LogCaptureFixture) -> None:
    warm = _app(folder, app_zygote)
    warm.start()
    _given(warm)
    assert app_zygote.pid is not None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # as the behave hooks turn SIGTERM into one

    os.kill(app_zygote.pid, signal.SIGSTOP)
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(KeyboardInterrupt):
            _app(folder, app_zygote, WAIT="1").start()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.kill(app_zygote.pid, signal.SIGCONT)
    with caplog.at_level(logging.WARNING, logger="harness.stacks.forked"):
        wait_until(lambda: any("after it was given up on" in r.getMessage() for r in caplog.records),
                   timeout=20, awaited="the zygote to fork the interrupted order")
        wait_until(lambda: not _live_children(app_zygote.pid), timeout=20, awaited="that fork to be killed")


def test_the_zygotes_stop_ends_every_fork_even_one_deaf_to_sigterm(folder: Path, app_zygote: AppZygote) -> None:
    deaf = _app(folder, app_zygote, IGNORE_SIGTERM="1", WAIT="1")
    deaf.start()
    _given(deaf)
    app_zygote.stop(timeout=1)
    wait_until(lambda: not _alive(deaf.pid), timeout=10, awaited="the fork deaf to SIGTERM to be killed")


def test_an_orphans_end_is_seen_once_its_pid_is_another_processs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A process that holds the pid now: alive, started at another time than the app was, and not
    # the leader of a group, so the app's group is not there to kill.
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        wait_until(lambda: start_time(other.pid) is not None, timeout=10, awaited="the process to start")
        assert_that((process_ended(other.pid, start_time(other.pid)), process_ended(other.pid, "0")), equal_to((False, True)))
        # However it is seen, a kill of such an orphan returns by a deadline rather than wait for ever.
        orphan = ForkedChild(other.pid, ["probe"])
        orphan._orphan()
        process = ManagedProcess("probe", ["probe"], env={}, log_path=tmp_path / "probe.log")
        process._popen = orphan
        monkeypatch.setattr(processes, "KILLED_WAIT_SECONDS", 0.5)
        killing = threading.Thread(target=process.kill, daemon=True)
        killing.start()
        killing.join(10)
        assert_that(killing.is_alive(), equal_to(False))
    finally:
        other.kill()
        other.wait()


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
        spawned = ManagedProcess("spawned", [sys.executable, str(folder / "probe_app.py")], env={{**env, "WAIT": "1"}},
                                 log_path=folder / "spawned.log", cwd=folder, zygote=app_zygote)
        spawned.start()
        spawned.wait_ready(20)
        print(app_zygote.pid, app.pid, spawned.pid, flush=True)
        sys.stdin.read()
    """)
    process = subprocess.Popen([sys.executable, "-c", runner], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(pid) for pid in process.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(pids) == 3
        process.kill()
        process.wait(10)
        wait_until(lambda: not any(_alive(pid) for pid in pids), timeout=20,
                   awaited="the zygote, its app and a spawned app to end with the runner")
    finally:
        if process.poll() is None:
            process.kill()


def test_no_python_code_runs_between_fork_and_exec_when_the_stack_starts_a_process(folder: Path) -> None:
    # Python code there (a preexec_fn) runs the interpreter's at-fork hooks in the parent (logging
    # takes its module lock in one); a SIGTERM turned into KeyboardInterrupt there left it held.
    hooks_run: list[str] = []
    watching = [True]
    os.register_at_fork(before=lambda: hooks_run.append("before fork") if watching[0] else None)
    try:
        started = AppZygote(_env(folder), folder / "zygote.log", folder, [])
        started.start()
        spawned = _app(folder, None, [sys.executable, str(folder / "probe_app.py")])  # type: ignore[arg-type]
        spawned.start()
        _given(spawned)
        started.stop()
    finally:
        watching[0] = False
    assert_that(hooks_run, equal_to([]))


@pytest.mark.parametrize("case", ["other PYTHON settings", "another time zone", "another locale", "not python -m",
                                  "no zygote running"])
def test_what_the_zygote_cannot_serve_is_spawned(folder: Path, app_zygote: AppZygote, case: str) -> None:
    argv = [sys.executable, "-m", "probe_app"]
    settings: dict[str, str] = {}
    if case == "other PYTHON settings":
        settings["PYTHONHASHSEED"] = "7"
    elif case == "another time zone":  # read as Python starts: time.tzname would be the zygote's
        settings["TZ"] = "EST+5EDT"
    elif case == "another locale":  # read as Python starts: the encodings of its streams and file names
        settings["LC_ALL"] = "C"
    elif case == "not python -m":
        argv = [sys.executable, str(folder / "probe_app.py")]
    else:
        app_zygote.stop()
    process = _app(folder, app_zygote, argv, APP_SETTING="spawned", **settings)
    process.start()
    assert isinstance(process._popen, subprocess.Popen)
    given = _given(process)
    assert_that(given["setting"], equal_to("spawned"))
    if case == "another time zone":
        assert_that(given["tzname"], equal_to(["EST", "EDT"]))
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
