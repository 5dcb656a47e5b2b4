"""Filing requests: good ones parse, bad ones are refused naming the field."""

from __future__ import annotations

import pytest

from workers.errors import InvalidRequest
from workers.filing_request import parse_request, parse_request_body


def test_a_good_request_parses_and_the_cik_loses_its_padding() -> None:
    request = parse_request({"request_id": "r-1", "cik": "0000320193", "form_type": "10-K"})
    assert (request.request_id, request.cik, request.form_type, request.count) == ("r-1", "320193", "10-K", 1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"request_id": "r", "form_type": "10-K"}', "field 'cik' is missing"),
        ('{"request_id": "r", "cik": true, "form_type": "10-K"}', "field 'cik' must be a string"),
        ('{"request_id": "has space", "cik": "1", "form_type": "10-K"}', "field 'request_id'"),
        ('{"request_id": "r", "cik": "12345678901", "form_type": "10-K"}', "field 'cik'"),
        ('{"request_id": "r", "cik": "1", "form_type": "10-K", "count": 0}', "field 'count'"),
        ('{"request_id": "r", "cik": "1", "form_type": "' + "x" * 20000 + '"}', "at most"),
    ],
)
def test_a_bad_request_is_refused_naming_what_is_wrong(body: str, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message) as refused:
        parse_request_body(body)
    assert refused.value.error_name == "Request.Invalid"
