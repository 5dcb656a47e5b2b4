"""The behave hooks around a run: a process that died stops the run once, by name; a failed
before_all is not followed by an error of after_all."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from harness.behave import hooks
from harness.settings import load_settings
from harness.stacks import open_stack
from harness.stacks.processes import ManagedProcess

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Scenario:
    effective_tags: list[str] = []

    def __init__(self) -> None:
        self.skipped: str | None = None

    def skip(self, reason: str) -> None:
        self.skipped = reason


def test_a_process_that_exited_is_named_with_its_status_and_last_lines(tmp_path: Path) -> None:
    stack = open_stack(load_settings(PROJECT_DIR, {"reports_dir": str(tmp_path)}, environ={}))  # made, not started
    app = ManagedProcess("ingest", [sys.executable, "-c", "print('boom: out of memory'); raise SystemExit(3)"],
                         env={}, log_path=tmp_path / "ingest.log")
    stack.apps["ingest"] = app
    assert stack.stopped_processes() == []  # nothing started: nothing to say
    app.start()
    app._popen.wait(timeout=30)
    assert stack.stopped_processes() == [("ingest", 3, "boom: out of memory")]


def test_a_stopped_process_stops_the_run_with_one_message_naming_it() -> None:
    aborted: list[str] = []
    stack = SimpleNamespace(stopped_processes=lambda: [("emulator", -9, "last words")])
    report = SimpleNamespace(run_stopped=lambda message: aborted.append(message))
    context = SimpleNamespace(stack=stack, abort=lambda reason: aborted.append(reason), report=report)
    scenario = Scenario()
    hooks.before_scenario(context, scenario)
    assert scenario.skipped == "the emulator process had stopped"
    assert len(aborted) == 2 and aborted[0] == aborted[1]  # behave's abort, and the run's last lines
    assert aborted[0].startswith("the emulator process stopped during the run (exit status -9)")
    assert aborted[0].endswith("Last lines of its log:\nlast words")


def test_after_a_failed_before_all_the_other_hooks_add_no_error() -> None:
    context = SimpleNamespace()  # before_all failed before it set anything
    hooks.before_feature(context, object())
    hooks.after_scenario(context, object())
    hooks.after_all(context)
