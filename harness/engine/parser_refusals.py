"""What moto's own parser refuses is refused as AWS refuses it: ``InvalidDefinition`` and a diagnostic.

The project's rules (``harness.statemachine.rules``) run first; a definition they pass can still
fail moto's grammar or its preprocessor. moto then raises its parser package's
``InvalidDefinition``, which its server answers with an empty error code and a Python exception
for message (``ASLParserException ['line 107:6, ...']``, ``Error=ValueError Args=[...]`` followed
by the whole definition). AWS answers ``InvalidDefinition`` with
``Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: <what> at /States/<Name>/<Field>'``.
``diagnose_parse`` turns the one into the other: the parser's line and column become the JSON pointer of
the field they fall in.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from typing import Any

from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser, ASLParserException

from harness.statemachine.rules import Diagnostic
from harness.engine.asl_extensions import rewrite

_WS = re.compile(r"\s*")
_SYNTAX = re.compile(r"^line (\d+):(\d+)(?:, at (.*?))?, (.*)$", re.S)
_DECODER = json.JSONDecoder()


def _skip(text: str, idx: int) -> int:
    return _WS.match(text, idx).end()  # type: ignore[union-attr]


def _locate(text: str, idx: int, offset: int, path: tuple[str, ...]) -> tuple[int, tuple[str, ...] | None]:
    """Parse the value at ``idx``; return its end and the deepest path whose member holds ``offset``."""
    idx = _skip(text, idx)
    opener = text[idx:idx + 1]
    if opener not in ("{", "["):
        return _DECODER.raw_decode(text, idx)[1], None
    closer, idx, i = ("}" if opener == "{" else "]"), idx + 1, 0
    while True:
        idx = _skip(text, idx)
        if text[idx] == closer:
            return idx + 1, None
        member_start = idx
        if opener == "{":
            key, idx = scanstring(text, idx + 1)
            idx = _skip(text, idx) + 1  # the colon
        else:
            key = str(i)
        end, found = _locate(text, idx, offset, (*path, key))
        if found is None and member_start <= offset < end:
            found = (*path, key)
        if found is not None:
            return end, found
        idx = _skip(text, end)
        if text[idx] == ",":
            idx, i = idx + 1, i + 1


def pointer_at(text: str, line: int, column: int) -> tuple[str, ...]:
    """The path of the innermost member at (1-based line, 0-based column) of a JSON text."""
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[:line - 1]) + column
    try:
        return _locate(text, 0, offset, ())[1] or ()
    except (ValueError, IndexError):
        return ()


def _location(path: tuple[str, ...]) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in path)


def _syntax_diagnostic(text: str, error: str) -> Diagnostic:
    m = _SYNTAX.match(error)
    if not m:
        return Diagnostic("SCHEMA_VALIDATION_FAILED", error, "/")
    line, column, token, message = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
    path = pointer_at(text, line, column)
    if path and token and token == json.dumps(path[-1]):
        # The offending token is a field name: a field this state cannot have.
        return Diagnostic("SCHEMA_VALIDATION_FAILED", f"Field '{path[-1]}' is not supported",
                          _location(path[:-1]))
    field = path[-1] if path else "definition"
    return Diagnostic("SCHEMA_VALIDATION_FAILED",
                      f"The value for the field '{field}' is not valid ({message})", _location(path))


def _find_string(node: Any, needle: str, path: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str] | None:
    """The path and value of the first string containing ``needle``."""
    if isinstance(node, str):
        return (path, node) if needle in node else None
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        found = _find_string(v, needle, (*path, str(k)))
        if found is not None:
            return found
    return None


def _other_diagnostic(definition: str, ex: Exception) -> Diagnostic:
    message = str(ex.args[0]) if ex.args else type(ex).__name__
    unknown = re.match(r"Unknown service '(.*)'", message)
    if not unknown:
        return Diagnostic("SCHEMA_VALIDATION_FAILED", message.split(" in definition '")[0], "/")
    path, resource = _find_string(json.loads(definition), f":::{unknown.group(1)}:") or ((), "the resource")
    message = (f"The resource provided {resource} not recognized. The value is not a valid resource ARN, "
               "or the resource is not available in this region.")
    return Diagnostic("SCHEMA_VALIDATION_FAILED", message, _location(path))


def diagnose_parse(definition: str) -> list[Diagnostic]:
    """What moto's parser refuses in ``definition`` (after the project's rules passed), as diagnostics."""
    text, _ = rewrite(definition)
    try:
        AmazonStateLanguageParser.parse(definition)
    except ASLParserException as ex:
        return [_syntax_diagnostic(text, e) for e in ex.errors] or [
            Diagnostic("SCHEMA_VALIDATION_FAILED", "The definition could not be parsed", "/")]
    except Exception as ex:  # its preprocessor raises ValueError, RecognitionException, ...
        return [_other_diagnostic(definition, ex)]
    return []

