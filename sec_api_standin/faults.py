"""Injected failures, so scenarios can watch the pipeline cope with throttling and outages.

Each fault answers the next ``times`` matching queries (or all of them, until cleared) with an
error status, or with a hostile answer (sec_api_standin/hostile_answers.py), and may hold each of
those answers for a while first, as a slow server would (with neither status nor answer, a held
answer is the normal one). Faults scoped to a
CIK touch only queries about that company, which lets scenarios running in parallel against one
server stay out of each other's way.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

from sec_api_standin.hostile_answers import ANSWERS
from sec_api_standin.query import normalise_cik

FAULT_STATUSES = (429, 500, 502, 503, 504)
# A held answer keeps one of the server's threads: a forgotten fault never holds one longer.
MAX_DELAY_SECONDS = 60


class FaultSpecError(ValueError):
    """A fault request is malformed; the message says which field."""


@dataclass
class Fault:
    status: int | None  # None: a hostile answer, or the normal one, instead of an error status
    remaining: int | None  # None: until cleared
    cik: str | None  # None: every company
    retry_after: int | None  # seconds for a Retry-After header, 429 and 503 only
    answer: str | None = None  # one of hostile_answers.ANSWERS
    delay: float | None = None  # seconds each answer is held before it is sent

    def to_json(self) -> dict[str, Any]:
        # Same names as the POST body, so a listing can be read back as a spec.
        spec: dict[str, Any] = {"status": self.status, "times": self.remaining, "cik": self.cik,
                                "retryAfter": self.retry_after}
        if self.answer is not None:
            spec["answer"] = self.answer
        if self.delay is not None:
            spec["delay"] = self.delay
        return spec


def parse_fault(body: Any) -> Fault:
    if not isinstance(body, dict):
        raise FaultSpecError("fault must be a JSON object")
    unknown = set(body) - {"status", "times", "cik", "retryAfter", "answer", "delay"}
    if unknown:
        raise FaultSpecError(f"unknown fault fields: {', '.join(sorted(unknown))}")
    answer = body.get("answer")
    status = body.get("status")
    delay = _delay(body.get("delay"))
    if answer is not None:
        if status is not None:
            raise FaultSpecError('give "status" or "answer", not both')
        if answer not in ANSWERS:
            raise FaultSpecError(f'"answer" must be one of {", ".join(ANSWERS)}')
        if answer == "silent" and delay is not None:
            raise FaultSpecError('"delay" does not go with "silent", held until faults are cleared anyway')
    elif status is None and delay is not None:
        pass  # a delay alone: the normal answer, held
    elif isinstance(status, bool) or status not in FAULT_STATUSES:
        raise FaultSpecError(
            f'"status" must be one of {", ".join(map(str, FAULT_STATUSES))}'
            ' (or give only "delay", for a slow normal answer)'
        )
    times = body.get("times")
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise FaultSpecError('"times" must be a positive integer, or absent for "until cleared"')
    cik = body.get("cik")
    if cik is not None:
        if not isinstance(cik, str) or not cik.isdigit():
            raise FaultSpecError('"cik" must be a string of digits')
        cik = normalise_cik(cik)
    retry_after = body.get("retryAfter")
    if retry_after is not None and (
        isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 0
    ):
        raise FaultSpecError('"retryAfter" must be a non-negative integer of seconds')
    return Fault(status=status, remaining=times, cik=cik, retry_after=retry_after, answer=answer, delay=delay)


def _delay(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_DELAY_SECONDS:
        # nan fails the range check too, and inf is over the bound.
        raise FaultSpecError(f'"delay" must be a number of seconds above 0 and at most {MAX_DELAY_SECONDS}')
    return float(value)


class FaultBook:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self, cik: str | None = None) -> int:
        """Remove every fault, or only those scoped to ``cik``; return how many went."""
        with self._lock:
            keep = [] if cik is None else [f for f in self._faults if f.cik != cik]
            removed = len(self._faults) - len(keep)
            self._faults = keep
            return removed

    def active(self) -> list[Fault]:
        with self._lock:
            return [Fault(**asdict(f)) for f in self._faults]

    def take(self, cik: str | None) -> Fault | None:
        """The first fault that applies to a query about ``cik``, using up one of its times."""
        with self._lock:
            for fault in self._faults:
                if fault.cik is None or fault.cik == cik:
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self._faults.remove(fault)
                    return fault
            return None
