"""Validate the JSON body of a Query API request into a SearchRequest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sec_api_standin.query import Term, parse_query

# sec-api.io caps a page at 50 filings and paging depth at 10,000; mirror it so a client that
# works against the stand-in does not ask the real API for more than it will give.
MAX_SIZE = 50
MAX_FROM = 10_000
DEFAULT_SIZE = 50


class BadRequest(ValueError):
    """The request body cannot be answered; the message says which part is wrong."""


@dataclass(frozen=True)
class SearchRequest:
    terms: list[Term]
    offset: int
    size: int
    descending: bool


def _int_field(body: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    raw = body.get(name, default)
    # The official clients send these as strings ("0", "10"); accept ints too, but not bools.
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise BadRequest(f'"{name}" must be an integer or a string of digits')
    if isinstance(raw, str):
        if not raw.strip().isdigit():
            raise BadRequest(f'"{name}" must be an integer or a string of digits, got {raw!r}')
        raw = int(raw)
    if not low <= raw <= high:
        raise BadRequest(f'"{name}" must be between {low} and {high}, got {raw}')
    return raw


def _descending(body: dict[str, Any]) -> bool:
    sort = body.get("sort", [{"filedAt": {"order": "desc"}}])
    if not isinstance(sort, list) or not all(isinstance(item, dict) for item in sort):
        raise BadRequest('"sort" must be a list like [{"filedAt": {"order": "desc"}}]')
    descending = True
    for item in sort:
        for field, spec in item.items():
            if field != "filedAt":
                raise BadRequest(f'cannot sort on {field!r}: only "filedAt" is supported')
            order = spec.get("order") if isinstance(spec, dict) else None
            if order not in ("asc", "desc"):
                raise BadRequest('sort order must be "asc" or "desc"')
            descending = order == "desc"
    return descending


def parse_search_request(raw: bytes) -> SearchRequest:
    """Parse and validate a request body; QueryError and BadRequest both mean 400."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("request body must be a JSON object")
    query = body.get("query")
    if not isinstance(query, str):
        raise BadRequest('"query" is required and must be a string')
    return SearchRequest(
        terms=parse_query(query),
        offset=_int_field(body, "from", 0, 0, MAX_FROM),
        size=_int_field(body, "size", DEFAULT_SIZE, 1, MAX_SIZE),
        descending=_descending(body),
    )
