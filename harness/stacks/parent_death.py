"""A process of the stack dies with its parent: nothing outlives a runner killed outright."""

from __future__ import annotations

import ctypes
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel for SIGTERM when this process's parent dies (Linux; elsewhere nothing:
    the stack's own cleanup still stops the process)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass
