"""Logging for the apps: one line per event, secrets masked before anything is written.

A secret is masked where it stands as a whole value, never inside a longer run of letters and
digits: masking a short key inside ordinary words would spell it out. A key shorter than
MIN_SECRET_LENGTH cannot be told from ordinary text and is refused where it is read.
"""

from __future__ import annotations

import logging
import os
import re

_MASK = "***"
MIN_SECRET_LENGTH = 16
_secrets: dict[str, re.Pattern[str]] = {}


def _whole_value(secret: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])")


def mask(text: str, secret: str) -> str:
    """``text`` with every whole-value occurrence of ``secret`` written as ***."""
    return _whole_value(secret).sub(_MASK, text)


def mask_secret(value: str) -> None:
    """From now on, ``value`` is written as *** wherever it stands whole in a log line."""
    if value:
        _secrets[value] = _whole_value(value)


class _MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
                record.exc_info = None
            for pattern in _secrets.values():
                text = pattern.sub(_MASK, text)
            record.msg, record.args = text, None
        return True


def configure(app_name: str) -> logging.Logger:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(f"%(asctime)s {app_name} %(levelname)s %(message)s"))
    handler.addFilter(_MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
    # boto's own debug lines would carry request bodies; keep them out unless asked.
    for noisy in ("botocore", "boto3", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return logging.getLogger(app_name)
