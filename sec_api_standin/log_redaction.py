"""A logging filter that masks the API key wherever it would otherwise be written.

The stand-in's own request log never includes query strings, but libraries underneath it (the
HTTP server reporting a malformed request line, say) may echo raw input; this is the backstop.
"""

from __future__ import annotations

import logging

MASK = "***"


class RedactSecret(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._secret and self._secret in message:
            record.msg, record.args = message.replace(self._secret, MASK), None
        if record.exc_info and not record.exc_text:
            # Render the traceback now so the same masking applies to it.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self._secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self._secret, MASK)
        return True
