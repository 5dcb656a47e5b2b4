"""One emulator for every process of a run split across processes, on the embedded stack.

Each process's stack would otherwise start an emulator of its own: on two cores, five of them
loading at once took a fifth of the run. Here the run starts one, first; each process gets its
endpoint and log (``harness/stacks/embedded.py``) and provisions its own resources there, under
its own prefix, and runs its own apps and helper services: what a scenario crashes, freezes or
makes fail stays its process's own. If the emulator stops while the processes run, every one of
them would fail for that reason: the run is stopped at once, saying so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.pipeline import load_pipeline
from harness.settings import Settings
from harness.stacks.embedded import SHARED_EMULATOR, SHARED_EMULATOR_LOG, emulator_process

log = logging.getLogger(__name__)

SHARES = ("embedded",)


@contextmanager
def shared_emulator(settings: Settings, log_dir: Path, stopped: Callable[[str], None]) -> Iterator[list[str]]:
    """Yields the behave options that give each process the run's emulator (none when the stack
    is not the embedded one, or the run was given an emulator already); calls ``stopped`` with
    the reason if the emulator exits before the block ends; stops it at the end."""
    if settings.stack not in SHARES or settings.get(SHARED_EMULATOR):
        yield []
        return
    log_path = log_dir / "emulator.log"
    emulator = emulator_process(settings, load_pipeline(settings.pipeline_file), log_path)
    emulator.start()
    done = threading.Event()

    def watch() -> None:
        status = emulator.wait_exit()
        if not done.is_set():
            stopped(f"the emulator shared by the run's processes stopped (exit status {status}); "
                    f"last lines of its log:\n{emulator.tail()}")

    try:
        endpoint = emulator.wait_ready(settings.startup_timeout)
        threading.Thread(target=watch, name="emulator-watch", daemon=True).start()
        yield ["-D", f"{SHARED_EMULATOR.lower()}={endpoint}", "-D", f"{SHARED_EMULATOR_LOG.lower()}={log_path}"]
    finally:
        done.set()
        emulator.stop()
