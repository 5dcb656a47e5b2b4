"""Each JSONPath of a definition compiled once, not at every evaluation.

Replaces the ``parse`` bound in ``moto.stepfunctions.parser.asl.utils.json_path`` (jsonpath_ng's
extended parser, behind every ``.$`` field, ``InputPath``, ``OutputPath``, ``ItemsPath`` ...) and in
``moto.stepfunctions.parser.asl.component.common.path.result_path`` (jsonpath_ng's plain parser,
for ``ResultPath``). jsonpath_ng builds a new PLY parser, its grammar tables included, on every
call: an eighth of the emulator's busy time in a burst of callback executions. A parsed path is
only read when it is applied (``find``, ``update_or_create`` change the data, never the path), so
one parsed object serves every evaluation. A path that does not parse raises each time, as before.
"""

from __future__ import annotations

import functools

import jsonpath_ng
import jsonpath_ng.ext
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.utils import json_path

# Distinct paths in the definitions a run deploys: a few hundred at most; bounded all the same.
MAX_PATHS = 4096


@functools.lru_cache(maxsize=MAX_PATHS)
def parse_extended(path: str) -> jsonpath_ng.JSONPath:
    return jsonpath_ng.ext.parse(path)


@functools.lru_cache(maxsize=MAX_PATHS)
def parse_plain(path: str) -> jsonpath_ng.JSONPath:
    return jsonpath_ng.parse(path)


def install() -> None:
    json_path.parse = parse_extended  # type: ignore[attr-defined]
    result_path.parse = parse_plain  # type: ignore[attr-defined]
