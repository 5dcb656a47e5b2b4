"""One loader of service models for the whole server, not a new one for every model it reads.

Replaces ``moto.core.utils.create_loader``, which ``get_service_model`` and
``get_pagination_model`` call for each service's first request: each new loader lists botocore's
and moto's data folders again (a directory listing and a check of every entry, some six hundred)
before it reads the one model asked for. While the embedded stack provisions its resources, each
service's first request paid that, on the emulator's one interpreter lock. A loader caches what
it has listed and read, and nothing it reads changes while the server runs; the models are
moto's own (its extra search path and its ``moto-extras`` included).
"""

from __future__ import annotations

import functools

import moto.core.utils
from moto.core.loaders import Loader, create_loader


@functools.cache
def shared_loader() -> Loader:
    return create_loader()


def install() -> None:
    moto.core.utils.create_loader = shared_loader
