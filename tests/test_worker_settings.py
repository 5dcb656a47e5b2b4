"""The apps' numeric settings: what cannot be a deadline or an interval stops the app by name."""

from __future__ import annotations

import pytest

from workers import settings


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "-1", "0", "soon"])
def test_a_duration_that_is_not_a_finite_positive_number_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("SEC_API_TIMEOUT_SECONDS", text)
    with pytest.raises(SystemExit, match="SEC_API_TIMEOUT_SECONDS must be"):
        settings.seconds("SEC_API_TIMEOUT_SECONDS", 20.0)


def test_a_duration_is_read_or_defaulted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTBEAT_INTERVAL_SECONDS", "0.5")
    assert settings.seconds("HEARTBEAT_INTERVAL_SECONDS", 5.0) == 0.5
    monkeypatch.delenv("HEARTBEAT_INTERVAL_SECONDS")
    assert settings.seconds("HEARTBEAT_INTERVAL_SECONDS", 5.0) == 5.0


@pytest.mark.parametrize("text", ["21", "-1", "1.5", "nan"])
def test_a_poll_wait_outside_what_sqs_allows_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("POLL_WAIT_SECONDS", text)
    with pytest.raises(SystemExit, match="POLL_WAIT_SECONDS must be a whole number from 0 to 20"):
        settings.whole_number("POLL_WAIT_SECONDS", 20, 0, 20)
