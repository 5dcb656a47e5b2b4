"""Keeps secret values out of logs, reports and exception texts."""

from __future__ import annotations

import logging
from collections.abc import Iterable

MASK = "***"
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    # Very short values would mask ordinary text; real keys are long.
    if value and len(value) >= 6:
        _secrets.add(value)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    for secret in sorted(set(secrets or ()) | _secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with every registered secret masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            record.msg = redact(record.getMessage())
            record.args = None
        return True


def install_log_redaction() -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
