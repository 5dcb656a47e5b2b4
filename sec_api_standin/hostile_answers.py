"""Answers no real SEC API would send, for scenarios that check the pipeline refuses them.

Each is a 200 with the shape of a Query API answer built from the real filings of the query, with
one thing wrong: a field that would become an archive key, a count or a size.
"""

from __future__ import annotations

import copy
from typing import Any

# A filing far over what an index entry weighs (a few KB): a size the pipeline must refuse.
OVERSIZED_PAD_BYTES = 600 * 1024
# Far more filings than any query may ask for (the Query API's page holds at most 50).
TOO_MANY = 500

ANSWERS = {
    "accession-path": "a filing whose accessionNo climbs out of its folder (../../victim/request)",
    "accession-object": "a filing whose accessionNo is a JSON object",
    "no-accession": "a filing without an accessionNo",
    "too-many": f"{TOO_MANY} filings, whatever the query asked for",
    "oversized": f"a filing padded with {OVERSIZED_PAD_BYTES} bytes",
    "silent": "no answer at all: the connection is held open until the fault is cleared",
}


def hostile_filings(kind: str, filings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The filings of the answer ``kind`` (not "silent"), from the query's real ones."""
    if not filings:
        return filings
    first = copy.deepcopy(filings[0])
    if kind == "accession-path":
        first["accessionNo"] = "../../victim/request"
    elif kind == "accession-object":
        first["accessionNo"] = {"$ne": None}
    elif kind == "no-accession":
        del first["accessionNo"]
    elif kind == "oversized":
        first["description"] = "x" * OVERSIZED_PAD_BYTES
    elif kind == "too-many":
        many = []
        for number in range(TOO_MANY):
            filing = copy.deepcopy(filings[number % len(filings)])
            filing["accessionNo"] = f"{filing['accessionNo'][:14]}{number:06d}"
            many.append(filing)
        return many
    else:
        raise ValueError(f"no hostile answer {kind!r}")
    return [first, *copy.deepcopy(filings[1:])]
