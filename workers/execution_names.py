"""Execution names: one per request, and one per operator redrive of it.

Step Functions refuses a second execution of a name, so the name is what makes a repeated or
redelivered message start nothing twice. A redrive is a new attempt at the same request and so
needs a new name, made from the request id and the redrive's number: sending the same redrive
twice still starts one execution.
"""

from __future__ import annotations

import hashlib
from typing import Any

MAX_NAME = 80  # Step Functions' limit on execution names
# The request message attribute that makes it a redrive (workers/redrive.py sets it).
REDRIVE_ATTRIBUTE = "RedriveAttempt"


def execution_name(request_id: str, redrive: int = 0) -> str:
    if redrive == 0:
        return request_id
    suffix = f"-redrive-{redrive}"
    if len(request_id) + len(suffix) <= MAX_NAME:
        return request_id + suffix
    # A long id is shortened; its digest keeps two long ids with one beginning apart.
    digest = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:8]
    return f"{request_id[: MAX_NAME - len(suffix) - 9]}-{digest}{suffix}"


def redrive_attempt(message: dict[str, Any]) -> int:
    """The redrive number a request message carries: 0 for an analyst's own request."""
    attribute = message.get("MessageAttributes", {}).get(REDRIVE_ATTRIBUTE)
    if attribute is None:
        return 0
    text = str(attribute.get("StringValue", ""))
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"message attribute {REDRIVE_ATTRIBUTE} is {text[:20]!r}: expected a whole number from 1")
    return int(text)
