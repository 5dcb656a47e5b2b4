"""Evaluate a JSONata expression the way Step Functions does, with jsonatapy (Rust JSONata).

Library choice (measured on this machine, see bench notes in the engine README): jsonatapy 2.2.13
evaluates a typical Step Functions expression in ~0.05 ms, jsonata-python 0.7.1 (pure Python) in
~9 ms; jsonatapy also keeps a null-valued binding as ``null`` where jsonata-python reads it as
undefined, and tells an undefined result from ``null`` (``evaluate_json_or_none``), which AWS's
"returned nothing (undefined)" check needs.

AWS's deviations from plain JSONata, from the Step Functions developer guide ("Transforming data
with JSONata"): the functions ``$partition``, ``$range``, ``$hash``, ``$random`` (optionally
seeded), ``$uuid`` and ``$parse`` are added; ``$eval`` is not supported.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import re
import threading
import uuid
from typing import Any, Final

import jsonatapy

LOG = logging.getLogger(__name__)


class Undefined:
    """The result of an expression that produced nothing (JSONata's undefined)."""

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED: Final = Undefined()


class JSONataEvaluationError(Exception):
    """An expression failed to parse or threw; ``message`` is what AWS appends to its cause."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# jsonatapy appends the offending token to a few messages that jsonata (as AWS runs it) does not.
_TRAILING_TOKEN = re.compile(r"^(T1006: Attempted to invoke a non-function): .*$", re.S)


def _aws_message(raw: str) -> str:
    msg = raw.removeprefix("Parse error: ").removeprefix("host function raised ValueError: ")
    m = _TRAILING_TOKEN.match(msg)
    return m.group(1) if m else msg


# ---- the functions Step Functions adds -------------------------------------------------------

def _fn_partition(array: Any, size: Any) -> list[Any]:
    if not isinstance(array, list):
        array = [array]
    if not isinstance(size, (int, float)) or size < 1 or int(size) != size:
        raise ValueError("The chunk size must be a positive integer")
    n = int(size)
    return [array[i:i + n] for i in range(0, len(array), n)]


def _fn_range(start: Any, end: Any, step: Any) -> Any:
    for v in (start, end, step):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or int(v) != v:
            raise ValueError("The arguments of $range must be integers")
    start, end, step = int(start), int(end), int(step)
    if step == 0:
        raise ValueError("The step of $range must not be zero")
    values = list(range(start, end + (1 if step > 0 else -1), step))
    # AWS's $range yields a JSONata sequence, and a sequence of one value is that value
    # (recorded on AWS: $range(1, 1, 1) gives 1, not [1]).
    return values[0] if len(values) == 1 else values


_HASHES: Final[dict[str, str]] = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256",
                                   "SHA-384": "sha384", "SHA-512": "sha512"}


def _fn_hash(value: Any, algorithm: Any) -> str:
    if algorithm not in _HASHES:
        raise ValueError(f"The hash algorithm must be one of {', '.join(_HASHES)}")
    data = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return hashlib.new(_HASHES[algorithm], data.encode()).hexdigest()


def _fn_random(*seed: Any) -> float:
    # With a seed the value is reproducible, as the guide describes for $random(seed).
    if seed and seed[0] is not None:
        return random.Random(seed[0]).random()
    return random.random()


def _fn_uuid() -> str:
    return str(uuid.uuid4())


def _fn_parse(text: Any) -> Any:
    if not isinstance(text, str):
        raise ValueError("The argument of $parse must be a string")
    return json.loads(text)


def _fn_eval(*_: Any) -> Any:
    raise ValueError("The $eval function is not supported")


_ADDED: Final[dict[str, Any]] = {"partition": _fn_partition, "range": _fn_range, "hash": _fn_hash,
                                 "uuid": _fn_uuid, "parse": _fn_parse}
_OVERRIDDEN: Final[dict[str, Any]] = {"random": _fn_random, "eval": _fn_eval}

# Compiled expressions are reused: the corpus and the pipeline evaluate the same few expressions
# for every item of a Map. Each thread keeps its own, so no compiled object is shared.
_local = threading.local()


def compile_expression(expression: str) -> Any:
    cache: dict[str, Any] | None = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    compiled = cache.get(expression)
    if compiled is None:
        try:
            compiled = jsonatapy.compile(expression)
        except ValueError as ex:
            raise JSONataEvaluationError(_aws_message(str(ex))) from ex
        for name, fn in _ADDED.items():
            compiled.register(name, fn)
        for name, fn in _OVERRIDDEN.items():
            compiled.register_override(name, fn)
        if len(cache) > 4096:
            cache.clear()
        cache[expression] = compiled
    return compiled


def check_syntax(expression: str) -> str | None:
    """The parser's message if the expression does not parse, else None."""
    try:
        jsonatapy.compile(expression)
    except ValueError as ex:
        return _aws_message(str(ex))
    return None


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise JSONataEvaluationError("D1001: Number out of range")
    return value


def evaluate(expression: str, bindings: dict[str, Any]) -> Any:
    """Result of ``expression`` (``UNDEFINED`` if it produced nothing) with ``bindings`` as $vars."""
    compiled = compile_expression(expression)
    try:
        text = compiled.evaluate_json_or_none("null", bindings)
    except ValueError as ex:
        raise JSONataEvaluationError(_aws_message(str(ex))) from ex
    except Exception as ex:  # a Python function of ours raised: JSONata reports it as an error
        raise JSONataEvaluationError(str(ex)) from ex
    if text is None:
        return UNDEFINED
    return _finite(json.loads(text))
