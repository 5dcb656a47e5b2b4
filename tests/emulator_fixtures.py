"""A real emulator server for the tests that need AWS: started once, always stopped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness.aws_clients import AwsTarget, Clients
from harness.stacks.processes import ManagedProcess

PROJECT = Path(__file__).resolve().parent.parent


START_DEADLINE_S = 30.0


@contextmanager
def running_emulator(
    log_path: Path, deadline: float = START_DEADLINE_S, module: str = "harness.stacks.emulator", **env: str
) -> Iterator[str]:
    """``python -m harness.stacks.emulator`` on a free port until the block exits; yields its endpoint.

    ``env`` adds to a bare environment (e.g. ``SFN_TIME_SCALE``, ``SFN_MOCK_CONFIG``); ``module``
    names another launcher that ends in the emulator's ``main`` (one that changes a constant of it
    first, say). A start that fails raises ProcessFailed (a RuntimeError) with the end of the
    emulator's log.
    """
    process = ManagedProcess(
        "emulator",
        [sys.executable, "-m", module, "--port", "0"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT), **env},
        log_path=log_path,
        cwd=PROJECT,
    )
    process.start()
    try:
        yield process.wait_ready(deadline)
    finally:
        process.stop()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clients]:
    with running_emulator(tmp_path_factory.mktemp("emulator") / "emulator.log", deadline=20) as endpoint:
        yield Clients(AwsTarget("us-east-1", endpoint))


@pytest.fixture
def app_environment(emulator: Clients, monkeypatch: pytest.MonkeyPatch) -> Clients:
    """Point the apps' own clients (workers.aws) at the emulator, as the stack does."""
    for name, value in emulator.target.app_environment().items():
        monkeypatch.setenv(name, value)
    return emulator
