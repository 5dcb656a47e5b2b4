"""The apps' numeric settings, read from the environment and refused when they cannot be used.

A timing that is not a finite number above zero (``nan``, ``inf``, ``-1``, ``0``) would make a
wait that never ends or a loop that spins; the app stops at start with the setting named instead.
"""

from __future__ import annotations

import math
import os


def seconds(name: str, default: float) -> float:
    """A duration in seconds: a finite number greater than zero."""
    text = os.environ.get(name, "")
    if not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise SystemExit(f"{name} must be a number of seconds, got {text[:40]!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise SystemExit(f"{name} must be a finite number of seconds above 0, got {text[:40]!r}")
    return value


def whole_number(name: str, default: int, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``."""
    text = os.environ.get(name, "")
    if not text.strip():
        return default
    try:
        value = int(text)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number from {low} to {high}, got {text[:40]!r}") from None
    if not low <= value <= high:
        raise SystemExit(f"{name} must be a whole number from {low} to {high}, got {text[:40]!r}")
    return value
