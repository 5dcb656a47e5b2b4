"""Keeps secret values out of logs, reports and exception texts.

A secret is masked where it stands as a whole value: an occurrence inside a longer run of
letters and digits is not it, and masking there would give the secret away (a one-letter key
masked inside every word spells itself out). A secret shorter than MIN_SECRET_LENGTH cannot be
told from ordinary text, so it is refused where it enters (``check_secret``), not masked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "***"
MIN_SECRET_LENGTH = 16
_secrets: set[str] = set()


class SecretTooShort(ValueError):
    """A secret too short to be kept out of logs; the message names where it came from."""


def check_secret(value: str, source: str) -> str:
    """``value`` if it is long enough to mask safely, else SecretTooShort naming ``source``."""
    if len(value) < MIN_SECRET_LENGTH:
        raise SecretTooShort(
            f"{source} is {len(value)} characters: a secret shorter than {MIN_SECRET_LENGTH} cannot be "
            "kept out of logs without masking ordinary words; give the full key"
        )
    return value


def whole_value(secret: str) -> re.Pattern[str]:
    """Matches ``secret`` where no letter or digit runs on either side of it."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])")


def register_secret(value: str | None) -> None:
    if value:
        _secrets.add(value)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    for secret in sorted(set(secrets or ()) | _secrets, key=len, reverse=True):
        text = whole_value(secret).sub(MASK, text)
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
