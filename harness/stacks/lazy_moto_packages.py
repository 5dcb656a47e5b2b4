"""Service packages of moto whose models load on first use, not when a sibling module is imported.

Replaces the eager body of ``moto/batch/__init__.py`` (``from .models import batch_backends``).
moto's Step Functions interpreter imports ``moto.batch.utils`` for one enum (``JobStatus``);
importing that submodule runs the package's ``__init__``, which loads Batch's models and, through
them, EC2's: about 0.8 s of an emulator start that serves neither service. Here the package is
registered without running its ``__init__``; its submodules import as usual, and its
``batch_backends`` (what ``moto.backends.get_backend("batch")`` asks for) loads the models the
first time a Batch request, or an ``arn:aws:states:::batch:`` task, needs them.

``install()`` must run before anything imports ``moto.batch``; it is idempotent and does nothing
once the package is loaded the ordinary way.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

# Package -> the names its __init__ would have bound, each from the submodule that defines it.
DEFERRED: dict[str, dict[str, str]] = {
    "moto.batch": {"batch_backends": "models"},
}


def _deferred_package(name: str, exports: dict[str, str]) -> types.ModuleType:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not an importable package; cannot defer its models")
    module = importlib.util.module_from_spec(spec)

    def __getattr__(attribute: str) -> Any:  # PEP 562: called only for names not yet bound
        submodule = exports.get(attribute)
        if submodule is None:
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}")
        value = getattr(importlib.import_module(f"{name}.{submodule}"), attribute)
        setattr(module, attribute, value)
        return value

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


def install() -> None:
    for name, exports in DEFERRED.items():
        if name in sys.modules:
            continue
        parent, _, child = name.rpartition(".")
        module = _deferred_package(name, exports)
        sys.modules[name] = module
        setattr(importlib.import_module(parent), child, module)
