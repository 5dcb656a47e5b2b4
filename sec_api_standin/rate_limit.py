"""A token bucket shared by every request the server answers."""

from __future__ import annotations

import math
import threading
import time
from typing import Callable


class TokenBucket:
    """Allows ``rate`` requests per second on average, in bursts of at most ``rate``."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._rate = rate
        self._capacity = max(rate, 1.0)
        self._tokens = self._capacity
        self._clock = clock
        self._updated = clock()
        self._lock = threading.Lock()

    def try_acquire(self) -> float:
        """Take a token; return 0 on success, else the seconds until one will be available."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self._rate


def retry_after_header(wait: float) -> str:
    # Retry-After takes whole seconds; round up so a client that obeys it is not refused again.
    return str(max(1, math.ceil(wait)))
