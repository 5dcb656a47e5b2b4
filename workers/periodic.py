"""Something done every few seconds in the background while a block runs (heartbeats, leases)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def every(interval: float, action: Callable[[], bool | None], name: str) -> Iterator[None]:
    """Call ``action`` every ``interval`` seconds until the block ends; it returns False to stop early."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            if action() is False:
                return

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
