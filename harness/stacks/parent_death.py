"""A process of the stack dies with its parent: nothing outlives a runner killed outright.

Linux sends a process the signal it asked for with ``prctl(PR_SET_PDEATHSIG)`` when its parent
dies; the request survives ``exec``. It is never made by Python code run between fork and exec
(``subprocess.Popen(preexec_fn=...)``): with a ``preexec_fn``, ``Popen`` runs the interpreter's
at-fork hooks in the parent around the fork (logging takes and gives back its module lock there),
and a signal handler that raises there (the behave hooks turn SIGTERM into KeyboardInterrupt)
leaves that lock held for good: the next thread that logs or imports logging waits forever.

So a spawned program's command line starts with util-linux's ``setpriv --pdeathsig TERM --``,
which asks for the signal in C and then execs the program: nothing of Python runs in between,
and it serves every program alike, the project's own or not. A program of the project's own
(the emulator, the app zygote, a behave worker) also asks for it itself at start, through
``die_with_given_parent``, and checks that its parent is still the one that started it (given
as ``PARENT_PID_SETTING``): that closes the moment between fork and the request, during which a
parent's death would go unseen, and covers a machine without setpriv.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import signal
import subprocess
from collections.abc import Mapping, Sequence

_PR_SET_PDEATHSIG = 1
# The pid of the process that started this one, for a program of the project's to check.
PARENT_PID_SETTING = "HARNESS_PARENT_PID"


def die_with_parent() -> None:
    """Ask the kernel for SIGTERM when this process's parent dies (Linux; elsewhere nothing:
    the stack's own cleanup still stops the process)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def die_with(parent: int) -> None:
    """``die_with_parent``, and SIGTERM now if ``parent`` has died already (before the request)."""
    die_with_parent()
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def die_with_given_parent(env: Mapping[str, str] = os.environ) -> None:
    """At the start of a program of the project's: die with the parent that started it, if it said
    which (``dying_with_parent``); a program started by hand has none and goes on."""
    given = env.get(PARENT_PID_SETTING, "")
    if given.isdigit():
        die_with(int(given))


def knows_pdeathsig(setpriv: str) -> bool:
    """Whether this setpriv takes ``--pdeathsig`` (util-linux 2.33, 2018): an older one refuses
    the option and would run nothing, so every program behind it would fail to start."""
    try:
        shown = subprocess.run([setpriv, "--help"], capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return b"--pdeathsig" in shown.stdout + shown.stderr


@functools.lru_cache(maxsize=1)
def _setpriv() -> str | None:
    found = shutil.which("setpriv")
    return found if found and knows_pdeathsig(found) else None


def dying_with_parent(argv: Sequence[str], env: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """``argv`` and ``env`` for a program that must die with this process: behind ``setpriv
    --pdeathsig TERM`` where there is one that takes it, and told this process's pid. A program
    that cannot be found is left as it is, so that starting it fails at once, as it would alone."""
    setpriv = _setpriv()
    found = bool(argv) and shutil.which(argv[0]) is not None
    prefix = [setpriv, "--pdeathsig", "TERM", "--"] if setpriv and found else []
    return [*prefix, *argv], {**env, PARENT_PID_SETTING: str(os.getpid())}
