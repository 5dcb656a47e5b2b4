"""The apps' log lines: a secret registered with mask_secret is written as *** wherever it would
appear, in the message and in a traceback alike."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from workers import logs

SECRET = "k3y-only-this-test-uses"


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """What the apps' log handler (logs.configure) writes, in a buffer instead of stderr."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    logs.configure("test-app")
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_masked_secret_is_written_as_stars_in_messages_and_tracebacks(written: io.StringIO) -> None:
    log = logging.getLogger("test-app")
    logs.mask_secret(SECRET)
    log.info("querying with key %s", SECRET)
    try:
        raise RuntimeError(f"the API refused {SECRET}")
    except RuntimeError:
        log.exception("query failed")

    assert SECRET not in written.getvalue()
    assert "querying with key ***" in written.getvalue()
    assert "RuntimeError: the API refused ***" in written.getvalue()
