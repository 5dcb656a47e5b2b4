"""A real emulator server for the tests that need AWS: started once, always stopped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.aws_clients import AwsTarget, Clients
from harness.processes import ManagedProcess

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clients]:
    process = ManagedProcess(
        "emulator",
        [sys.executable, "-m", "harness.emulator", "--port", "0"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT)},
        log_path=tmp_path_factory.mktemp("emulator") / "emulator.log",
        cwd=PROJECT,
    )
    process.start()
    try:
        yield Clients(AwsTarget("us-east-1", process.wait_ready(20)))
    finally:
        process.stop()


@pytest.fixture
def app_environment(emulator: Clients, monkeypatch: pytest.MonkeyPatch) -> Clients:
    """Point the apps' own clients (workers.aws) at the emulator, as the stack does."""
    for name, value in emulator.target.app_environment().items():
        monkeypatch.setenv(name, value)
    return emulator
