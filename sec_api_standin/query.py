"""Parse the Lucene-style ``query`` string of a Query API request.

Only the subset the pipeline and its scenarios use is understood: ``field:value`` terms joined
by ``AND`` on the fields ``cik``, ``ticker``, ``formType`` and ``filedAt``. Anything else is
rejected with a message naming the offending part, so a scenario that drifts from what the
stand-in can answer fails loudly instead of silently matching nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

FIELDS = ("cik", "ticker", "formType", "filedAt")

# One term: a field name, a colon, then a quoted string, a [A TO B] range or a bare word.
_TERM = re.compile(
    r"""\s*(?P<field>[A-Za-z_][A-Za-z0-9_.]*)\s*:\s*
        (?:"(?P<quoted>(?:[^"\\]|\\.)*)"
          |\[\s*(?P<start>\S+)\s+TO\s+(?P<end>[^\]\s]+)\s*\]
          |(?P<bare>[^\s"()\[\]]+))""",
    re.VERBOSE,
)
_AND = re.compile(r"\s+AND\s+")


class QueryError(ValueError):
    """The query string is malformed or uses something the stand-in does not support."""


@dataclass(frozen=True)
class Equals:
    field: str
    value: str

    def matches(self, filing: Mapping[str, Any]) -> bool:
        actual = str(filing.get(self.field, ""))
        if self.field == "cik":
            return normalise_cik(actual) == self.value
        if self.field == "ticker":
            return actual.upper() == self.value.upper()
        return actual == self.value


@dataclass(frozen=True)
class DateRange:
    """An inclusive range on the date part of ``filedAt``; ``None`` is an open end (``*``)."""

    field: str
    start: date | None
    end: date | None

    def matches(self, filing: Mapping[str, Any]) -> bool:
        day = date.fromisoformat(str(filing[self.field])[:10])
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


Term = Equals | DateRange


def normalise_cik(value: str) -> str:
    # EDGAR pads CIKs to ten digits in some places and not in others; compare them as numbers.
    stripped = value.lstrip("0")
    return stripped or "0"


def _parse_date(text: str, term: str) -> date | None:
    if text == "*":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"invalid date {text!r} in {term!r}: expected YYYY-MM-DD or *") from None


def _parse_term(text: str) -> Term:
    match = _TERM.fullmatch(text)
    if match is None:
        raise QueryError(f"cannot parse {text.strip()!r}: expected field:value")
    field = match["field"]
    if field not in FIELDS:
        raise QueryError(f"unknown field {field!r}: supported fields are {', '.join(FIELDS)}")
    if match["start"] is not None:
        if field != "filedAt":
            raise QueryError(f"a range is only supported on filedAt, not {field!r}")
        return DateRange(field, _parse_date(match["start"], text), _parse_date(match["end"], text))
    value = match["quoted"] if match["quoted"] is not None else match["bare"]
    value = re.sub(r"\\(.)", r"\1", value)
    if not value:
        raise QueryError(f"empty value for field {field!r}")
    if field == "filedAt":
        day = _parse_date(value, text)
        return DateRange(field, day, day)
    if field == "cik":
        if not value.isdigit():
            raise QueryError(f"cik must be digits, got {value!r}")
        value = normalise_cik(value)
    return Equals(field, value)


def parse_query(text: str) -> list[Term]:
    """Split ``text`` on ``AND`` and parse each term; raise QueryError when anything is off."""
    if not text.strip():
        raise QueryError("query is empty")
    if re.search(r"\s(OR|NOT)\s|^\s*NOT\s|[()]", text):
        raise QueryError("only terms joined by AND are supported (no OR, NOT or parentheses)")
    # Split on AND outside quotes only: a quoted value may legitimately contain " AND ".
    parts, current, in_quotes, i = [], [], False, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and in_quotes and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == '"':
            in_quotes = not in_quotes
        if not in_quotes:
            joiner = _AND.match(text, i)
            if joiner:
                parts.append("".join(current))
                current, i = [], joiner.end()
                continue
        current.append(char)
        i += 1
    if in_quotes:
        raise QueryError("unbalanced double quote in query")
    parts.append("".join(current))
    return [_parse_term(part) for part in parts]


def matches_all(filing: Mapping[str, Any], terms: list[Term]) -> bool:
    return all(term.matches(filing) for term in terms)
