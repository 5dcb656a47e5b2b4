"""Masking secrets: whole values only, and a secret too short to mask is refused where it enters."""

from __future__ import annotations

import pytest

from harness.redaction import SecretTooShort, check_secret, redact
from harness.resources.secrets import secret_value
from harness.settings import load_settings
from workers.logs import mask

KEY = "sk-0123456789abcdef"


@pytest.mark.parametrize("masker", [lambda text, key: redact(text, [key]), mask], ids=["harness", "apps"])
def test_a_secret_is_masked_where_it_stands_whole(masker) -> None:  # type: ignore[no-untyped-def]
    assert masker(f"Authorization: {KEY}\n", KEY) == "Authorization: ***\n"
    assert masker(f'{{"token": "{KEY}"}}', KEY) == '{"token": "***"}'
    assert masker(f"/?token={KEY}&page=2", KEY) == "/?token=***&page=2"


@pytest.mark.parametrize("masker", [lambda text, key: redact(text, [key]), mask], ids=["harness", "apps"])
def test_a_short_secret_is_never_masked_inside_words(masker) -> None:  # type: ignore[no-untyped-def]
    text = "sec_api_standin/fixtures loaded 18 filings"
    assert masker(text, "x") == text
    assert masker(text, "i") == text


def test_a_secret_too_short_to_mask_is_refused_naming_where_it_came_from() -> None:
    with pytest.raises(SecretTooShort, match="SEC_API_KEY is 1 characters") as caught:
        check_secret("x", "SEC_API_KEY")
    assert "'x'" not in str(caught.value)
    assert check_secret(KEY, "SEC_API_KEY") == KEY


def test_a_run_given_a_short_sec_api_key_stops_naming_the_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(tmp_path, environ={"SEC_API_KEY": "x"})
    with pytest.raises(SecretTooShort, match="SEC_API_KEY is 1 characters"):
        secret_value(settings, "SEC_API_KEY", generate_if_missing=True)
