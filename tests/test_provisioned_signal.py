"""The provisioning job's signal to the apps' launchers (harness/stacks/provisioned_signal.py):
a request made before the job is done is held and answered the moment it is; one made when
nothing listens is made again until the deadline, which names what was awaited."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest

from harness.stacks import provisioned_signal
from harness.stacks.processes import free_port
from harness.stacks.provisioned_signal import ProvisionedSignal, wait_provisioned
from harness.waiting import DeadlineExceeded


def waiting_launcher(url: str, timeout: float = 20) -> tuple[threading.Thread, list[BaseException | None]]:
    outcome: list[BaseException | None] = []

    def wait() -> None:
        try:
            wait_provisioned(url, timeout)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread, outcome


def test_a_launcher_waits_until_the_job_is_done_and_no_longer() -> None:
    port = free_port()
    signal = ProvisionedSignal(port)
    try:
        launcher, outcome = waiting_launcher(f"http://127.0.0.1:{port}/")
        launcher.join(timeout=1.0)
        assert launcher.is_alive(), "the launcher went on before provisioning was done"
        done_at = time.monotonic()
        signal.done("provisioned arn:aws:states:us-east-1:123456789012:stateMachine:x\n")
        launcher.join(timeout=5)
        assert outcome == [None]
        # Held, not asked again later: it learns at once.
        assert time.monotonic() - done_at < 1.0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
            assert answer.status == 200
            assert answer.read().decode().startswith("provisioned arn:aws:states:")
    finally:
        signal.close()


def test_a_request_held_too_long_is_answered_not_yet_and_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provisioned_signal, "HOLD_SECONDS", 0.2)
    port = free_port()
    signal = ProvisionedSignal(port)
    try:
        launcher, outcome = waiting_launcher(f"http://127.0.0.1:{port}/")
        launcher.join(timeout=1.0)  # several holds of 0.2 s, each answered 503
        assert launcher.is_alive()
        signal.done("provisioned\n")
        launcher.join(timeout=5)
        assert outcome == [None]
    finally:
        signal.close()


def test_a_launcher_started_before_the_job_listens_finds_it_once_it_does() -> None:
    port = free_port()
    launcher, outcome = waiting_launcher(f"http://127.0.0.1:{port}/")
    launcher.join(timeout=0.5)
    assert launcher.is_alive()
    signal = ProvisionedSignal(port)
    try:
        signal.done("provisioned\n")
        launcher.join(timeout=5)
        assert outcome == [None]
    finally:
        signal.close()


def test_with_no_job_the_launcher_gives_up_at_its_deadline_naming_what_it_waited_for() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    began = time.monotonic()
    with pytest.raises(DeadlineExceeded, match=f"provisioning to be done at {url}"):
        wait_provisioned(url, timeout=0.5)
    assert time.monotonic() - began < 5
