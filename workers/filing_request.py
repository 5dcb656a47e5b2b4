"""A filing request: what an analyst asks for, checked field by field."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from workers.errors import InvalidRequest

# Step Functions execution names allow 1-80 of these; the request id names the execution.
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
CIK = re.compile(r"^[0-9]{1,10}$")
FORM_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /.-]{0,19}$")
MAX_COUNT = 10
MAX_BODY_BYTES = 16 * 1024


@dataclass(frozen=True)
class FilingRequest:
    request_id: str
    cik: str
    form_type: str
    count: int = 1

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _field(data: dict[str, Any], name: str, pattern: re.Pattern[str], hint: str) -> str:
    if name not in data:
        raise InvalidRequest(f"field {name!r} is missing")
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidRequest(f"field {name!r} must be a string, got {type(value).__name__}")
    text = str(value).strip()
    if not pattern.match(text):
        raise InvalidRequest(f"field {name!r} is {str(value)[:40]!r}: expected {hint}")
    return text


def parse_request(data: Any) -> FilingRequest:
    """Check a decoded request; raise InvalidRequest naming the first field that is wrong."""
    if not isinstance(data, dict):
        raise InvalidRequest(f"a request must be a JSON object, got {type(data).__name__}")
    count = data.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise InvalidRequest(f"field 'count' must be a whole number from 1 to {MAX_COUNT}, got {count!r}")
    return FilingRequest(
        request_id=_field(data, "request_id", REQUEST_ID, "1 to 80 letters, digits, '-' or '_'"),
        cik=str(int(_field(data, "cik", CIK, "a CIK of 1 to 10 digits"))),
        form_type=_field(data, "form_type", FORM_TYPE, "a form type such as 10-K"),
        count=count,
    )


def parse_request_body(body: str) -> FilingRequest:
    """Decode a queue message's body and check it."""
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise InvalidRequest(f"the request is {len(body.encode('utf-8'))} bytes; at most {MAX_BODY_BYTES}")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise InvalidRequest(f"the request is not JSON: {exc}") from None
    return parse_request(data)
