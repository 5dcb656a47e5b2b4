"""The analysts' words in steps/phrases.py name what the pipeline really has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steps.phrases import REASONS, STATES, reason_of, state_of
from workers import errors, sec_client

PROJECT = Path(__file__).resolve().parent.parent
# Step Functions' own error for a missed heartbeat, and the dispatcher's names for a set-aside request.
OTHER_NAMES = {"States.Timeout", "Request.Conflict"}


def _named_errors() -> set[str]:
    classes = [c for module in (errors, sec_client) for c in vars(module).values() if isinstance(c, type)]
    return {c.error_name for c in classes if isinstance(getattr(c, "error_name", None), str)}


def test_every_step_phrase_names_a_state_of_the_definition() -> None:
    states = json.loads((PROJECT / "test-definition.json").read_text(encoding="utf-8"))["States"]
    assert set(STATES.values()) <= set(states)


@pytest.mark.parametrize("phrase", [p for p, r in REASONS.items() if r.error])
def test_every_named_reason_is_an_error_the_pipeline_gives(phrase: str) -> None:
    assert reason_of(phrase).error in _named_errors() | OTHER_NAMES


def test_an_unknown_phrase_is_refused_with_the_phrases_known() -> None:
    with pytest.raises(KeyError, match="fetching the filing"):
        state_of("fetching the filings")
