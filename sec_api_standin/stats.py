"""Counts of the queries answered, so a test can see that a client retried."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any

# Queries that name no company (or one the stand-in does not know by ticker) count under this.
NO_CIK = "none"


class QueryStats:
    def __init__(self) -> None:
        self._by_status: Counter[int] = Counter()
        self._by_cik: defaultdict[str, Counter[int]] = defaultdict(Counter)
        self._lock = threading.Lock()

    def record(self, status: int, cik: str | None) -> None:
        with self._lock:
            self._by_status[status] += 1
            self._by_cik[cik or NO_CIK][status] += 1

    def reset(self) -> None:
        with self._lock:
            self._by_status.clear()
            self._by_cik.clear()

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._by_status.values()),
                "byStatus": {str(k): v for k, v in sorted(self._by_status.items())},
                "byCik": {
                    cik: {"total": sum(c.values()), **{str(k): v for k, v in sorted(c.items())}}
                    for cik, c in sorted(self._by_cik.items())
                },
            }
