"""Execution names: one per request, and one per operator redrive of it.

Step Functions refuses a second execution of a name, so the name is what makes a repeated or
redelivered message start nothing twice. A redrive is a new attempt at the same request and so
needs a new name, made from the request id and the redrive's number: sending the same redrive
twice still starts one execution.

The redrive's number comes from the catalogue, which only the operator's redrive command moves
to REDRIVING, never from the request message: whoever can send to the request queue cannot
name a new execution for a request and so have it processed twice.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

MAX_NAME = 80  # Step Functions' limit on execution names
def execution_name(request_id: str, redrive: int = 0) -> str:
    if redrive == 0:
        return request_id
    suffix = f"-redrive-{redrive}"
    if len(request_id) + len(suffix) <= MAX_NAME:
        return request_id + suffix
    # A long id is shortened; its digest keeps two long ids with one beginning apart.
    digest = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:8]
    return f"{request_id[: MAX_NAME - len(suffix) - 9]}-{digest}{suffix}"


def redrive_attempt(catalogue_item: dict[str, Any] | None) -> int:
    """The redrive number of a request, from its catalogue item: 0 unless it is being redriven."""
    if catalogue_item is None or catalogue_item.get("status") != "REDRIVING":
        return 0
    redrives = catalogue_item.get("redrives")  # a DynamoDB number: Decimal
    if isinstance(redrives, bool) or not isinstance(redrives, (int, Decimal)) or redrives != int(redrives) \
            or redrives < 1:
        raise ValueError(f"the catalogue item is REDRIVING with redrives={str(redrives)[:20]!r}: "
                         "expected a whole number from 1")
    return int(redrives)
