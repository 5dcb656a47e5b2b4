"""Fixtures for the SEC API stand-in and client tests: one stand-in shared by the session."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Iterator

import pytest
import requests

from tests.standin_fixtures import running_standin


@pytest.fixture(scope="session")
def sec_api_key() -> str:
    return "sk-test-" + secrets.token_hex(12)


@pytest.fixture(scope="session")
def sec_standin_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the shared stand-in writes its log (stderr), for tests that inspect it."""
    return tmp_path_factory.mktemp("sec_standin") / "stderr.log"


@pytest.fixture(scope="session")
def _sec_standin_session(sec_api_key: str, sec_standin_log: Path) -> Iterator[str]:
    # Rate limit off: tests hammer this server; the limit is tested on a server of its own.
    with running_standin(sec_standin_log, sec_api_key, rate_limit=0) as url:
        yield url


@pytest.fixture
def sec_standin_url(_sec_standin_session: str) -> Iterator[str]:
    """Base URL of the shared stand-in; faults a test leaves behind are cleared after it."""
    yield _sec_standin_session
    requests.delete(f"{_sec_standin_session}/_standin/faults", timeout=5).raise_for_status()


# The emulator fixtures live in their own module; pytest finds them through this plugin list.
pytest_plugins = ["tests.emulator_fixtures", "tests.engine_fixtures"]
