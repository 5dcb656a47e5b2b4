"""The emulator with its waits' fallback look an hour apart: ``python -m tests.emulator_without_rechecks``.

A wait on the emulator looks again every ``CHECK_INTERVAL`` (10 ms) in case no signal comes. So
short a fallback hides a start or an end that wakes no one: the wait still ends a few ms late.
With the looks an hour apart, only the signal (harness/engine/execution_changes.py) or the wait's
own seconds can end it, and a test can tell which did.
"""

from __future__ import annotations

import sys

from harness.stacks import emulator, emulator_waits

LOOKS_APART_SECONDS = 3600.0

if __name__ == "__main__":
    emulator_waits.CHECK_INTERVAL = LOOKS_APART_SECONDS
    sys.exit(emulator.main())
