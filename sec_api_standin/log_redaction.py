"""A logging filter that masks the API key wherever it would otherwise be written.

The stand-in's own request log never includes query strings, but libraries underneath it (the
HTTP server reporting a malformed request line, say) may echo raw input; this is the backstop.
The key is masked where it stands as a whole value, never inside a longer run of letters and
digits (masking a short key inside words would spell it out); the server refuses a key shorter
than MIN_KEY_LENGTH, which could not be told from ordinary text.
"""

from __future__ import annotations

import logging
import re

MASK = "***"
MIN_KEY_LENGTH = 16


class RedactSecret(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self._pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])") if secret else None

    def _mask(self, text: str) -> str:
        return self._pattern.sub(MASK, text) if self._pattern else text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Render the traceback now so the same masking applies to it.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        return True
