"""The apps' background actions (heartbeats, lease renewals): when they run, and on which thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from workers import periodic

DEADLINE_S = 10.0


def _counting(calls: list[str], name: str, reached: threading.Event, at: int) -> Any:
    def action() -> None:
        calls.append(name)
        if calls.count(name) >= at:
            reached.set()

    return action


def test_the_action_repeats_while_the_block_runs_and_never_after() -> None:
    calls: list[str] = []
    reached = threading.Event()
    with periodic.every(0.001, _counting(calls, "beat", reached, 3), "heartbeat"):
        assert reached.wait(DEADLINE_S), "the action did not repeat"
    after = len(calls)
    with periodic.every(0.001, lambda: None, "other"):
        pass
    assert len(calls) == after, "the action ran after its block ended"


def test_an_action_that_answers_false_is_not_called_again() -> None:
    calls: list[str] = []

    def once() -> bool:
        calls.append("beat")
        return False

    done = threading.Event()
    with periodic.every(0.001, once, "heartbeat"):
        with periodic.every(0.001, _counting([], "probe", done, 50), "probe"):
            assert done.wait(DEADLINE_S)
    assert calls == ["beat"]


def test_a_block_takes_a_waiting_thread_instead_of_starting_one(monkeypatch: pytest.MonkeyPatch) -> None:
    with periodic.every(60, lambda: None, "lease"), periodic.every(60, lambda: None, "heartbeat"):
        pass  # two threads now wait for the next blocks
    started: list[threading.Thread] = []
    real_start = threading.Thread.start

    def counted(self: threading.Thread) -> None:
        started.append(self)
        real_start(self)

    monkeypatch.setattr(threading.Thread, "start", counted)
    for _ in range(20):
        with periodic.every(60, lambda: None, "lease"), periodic.every(60, lambda: None, "heartbeat"):
            pass
    assert started == [], f"{len(started)} threads started for 20 messages"


def test_a_slow_action_does_not_hold_up_the_other_block() -> None:
    release = threading.Event()
    renewed = threading.Event()
    with periodic.every(0.001, lambda: release.wait(DEADLINE_S) and None, "heartbeat"):
        with periodic.every(0.001, _counting([], "renew", renewed, 3), "lease"):
            assert renewed.wait(DEADLINE_S), "the lease waited for a stuck heartbeat"
        release.set()


def test_an_action_that_raises_leaves_the_next_block_a_working_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    reported: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))
    raised = threading.Event()

    def broken() -> None:
        raised.set()
        raise ValueError("a logging filter broke")

    with periodic.every(0.001, broken, "lease"):
        assert raised.wait(DEADLINE_S)
    beats: list[str] = []
    beating = threading.Event()
    ended = threading.Event()

    def next_block() -> None:
        with periodic.every(0.001, _counting(beats, "beat", beating, 3), "heartbeat"):
            beating.wait(DEADLINE_S)
        ended.set()

    threading.Thread(target=next_block, daemon=True).start()
    assert ended.wait(DEADLINE_S), "the next block never ended: its job went to a thread that had died"
    assert beats.count("beat") >= 3, "the next block's action never ran"
    assert [type(exc) for exc in reported] == [ValueError], "the exception was not reported"
