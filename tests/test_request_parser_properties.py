"""Property tests of the request parser: any input is a request or an InvalidRequest, nothing else."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("hypothesis", reason="hypothesis==6.170.17 is not installed (dev dependency)")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from workers.errors import InvalidRequest
from workers.filing_request import CIK, MAX_COUNT, REQUEST_ID, FilingRequest, parse_request, parse_request_body

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
# Mostly-right requests, so the checks past the first field are reached too.
field_values = st.one_of(json_values, st.from_regex(r"[0-9]{1,12}", fullmatch=True), st.sampled_from(["10-K", "8-K", " 10-Q "]))
near_requests = st.fixed_dictionaries(
    {},
    optional={
        "request_id": st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,90}", fullmatch=True), json_values),
        "cik": field_values,
        "form_type": field_values,
        "count": st.one_of(st.integers(-3, MAX_COUNT + 3), json_values),
    },
)


def accepted_or_named(value: Any) -> FilingRequest | None:
    try:
        return parse_request(value)
    except InvalidRequest as exc:
        assert exc.error_name == "Request.Invalid" and str(exc), "a rejection names its reason"
        return None


@settings(max_examples=400, deadline=None)
@given(st.one_of(json_values, near_requests))
def test_any_value_is_a_valid_request_or_a_named_rejection(value: Any) -> None:
    request = accepted_or_named(value)
    if request is not None:
        assert REQUEST_ID.match(request.request_id)
        assert CIK.match(request.cik) and not (len(request.cik) > 1 and request.cik.startswith("0"))
        assert 1 <= request.count <= MAX_COUNT


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), json_values.map(json.dumps), near_requests.map(json.dumps)))
def test_any_body_is_a_valid_request_or_a_named_rejection(body: str) -> None:
    try:
        parse_request_body(body)
    except InvalidRequest as exc:
        assert str(exc)


@settings(max_examples=200, deadline=None)
@given(near_requests)
def test_an_accepted_request_reads_back_the_same(value: dict[str, Any]) -> None:
    request = accepted_or_named(value)
    if request is not None:
        assert parse_request(json.loads(request.to_json())) == request
