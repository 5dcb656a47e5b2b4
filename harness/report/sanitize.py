"""Secrets out of whatever the report shows: registered secret values, and values under secret-like keys."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from harness.redaction import MASK, redact

# Keys whose values are credentials whatever they hold (task tokens let anyone answer a task).
SECRET_KEY = re.compile(r"(secret|password|passwd|token|api[_-]?key|credential|authorization)", re.I)


def redacted(value: Any) -> Any:
    """A copy of a JSON-like value with secrets masked; non-JSON leaves become their text."""
    if isinstance(value, dict):
        return {str(k): MASK if SECRET_KEY.search(str(k)) and v not in (None, "") else redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [redacted(item) for item in items]
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Decimal):
        # DynamoDB numbers: shown as numbers, not as "Decimal('3')".
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(str(value))


def redacted_json(value: Any) -> str:
    return redact(json.dumps(redacted(value), indent=2, ensure_ascii=False, default=str))
