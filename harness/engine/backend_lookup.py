"""The list of moto's service packages read from disk once, not on every request.

Replaces ``moto.backends.list_of_moto_modules``, which the server's request router
(``DomainDispatcherApplication.get_backend_for_host``) calls for every request to ask whether the
host names a service package: each call lists moto's folder and checks its two hundred entries
one by one with ``os.path.isdir``. The installed package does not change while the server runs,
so the answer is read once; the order and the names are moto's own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import moto.backends

_original = moto.backends.list_of_moto_modules


@functools.cache
def _modules() -> tuple[str, ...]:
    return tuple(_original())


@functools.wraps(_original)
def list_of_moto_modules() -> Iterable[str]:
    return _modules()


def install() -> None:
    moto.backends.list_of_moto_modules = list_of_moto_modules
