"""Logging for the apps: one line per event, secrets masked before anything is written."""

from __future__ import annotations

import logging
import os

_MASK = "***"
_secrets: set[str] = set()


def mask_secret(value: str) -> None:
    """From now on, ``value`` is written as *** wherever it would appear in a log line."""
    if value:
        _secrets.add(value)


class _MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
                record.exc_info = None
            for secret in _secrets:
                text = text.replace(secret, _MASK)
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
