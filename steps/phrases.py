"""The analysts' words for the pipeline's states and reasons, in one table each.

Feature text speaks of "fetching the filing" and "the SEC API is unavailable"; the steps need
the state's name in the definition and the named error an app (or Step Functions) records. Every
step module reads them from here, so one phrase means one thing in every feature.

This module defines no steps. behave (since 1.3.2) loads every file directly in ``steps/`` as a
step module and nothing below it; a helper with no step definitions is inert there, and the step
modules import it by name (``steps.phrases``), so it stays flat beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from hamcrest import all_of, contains_string, starts_with
from hamcrest.core.matcher import Matcher

# A step of the pipeline, in the analysts' words -> the state that does it (test-definition.json).
STATES = {
    "ingesting the request": "Ingest",
    "fetching the filing": "FetchFiling",
    "validating the archive": "Validate",
}


@dataclass(frozen=True)
class Reason:
    """What the pipeline records for a reason an analyst names.

    ``error`` is the named error (an app's ``error_name``, or Step Functions' own ``States.*``),
    or ``None`` where the app that sets a message aside gives no name, only its words. ``words``
    is what the recorded text must say when one name covers several reasons.
    """

    error: str | None
    words: str = ""

    def in_text(self) -> Matcher[str]:
        """A recorded reason's text: it starts with the error's name, if any, and says the words."""
        parts = [starts_with(f"{self.error}: ")] if self.error else []
        return all_of(*parts, contains_string(self.words))


# Why a request failed, or why a message was set aside -> how the apps record it.
# workers/sec_client.py, workers/errors.py and workers/dispatcher.py name the errors;
# workers/callback.py and workers/filing_request.py word the reasons.
REASONS = {
    # A request that failed (the execution's error, and the catalogue's).
    "the company is unknown": Reason("Sec.NotFound"),
    "the SEC API refused the key": Reason("Sec.Unauthorized"),
    "the SEC API is unavailable": Reason("Sec.Unavailable"),
    "the archive and the catalogue disagree": Reason("Validation.Mismatch"),
    "the SEC API's answer cannot be trusted": Reason("Sec.InvalidAnswer"),
    # A second run refused because its request id belongs to a request that moved on.
    "the request id is taken": Reason("Task.Stale"),
    # AWS reports a missed heartbeat as States.Timeout; only Retry/Catch see States.HeartbeatTimeout.
    "the app missed its heartbeat": Reason("States.Timeout"),
    # A request the dispatcher set aside.
    "it names no company": Reason("Request.Invalid", "field 'cik' is missing"),
    "the company is not given as text": Reason("Request.Invalid", "field 'cik' must be a string"),
    "it is too big for a request": Reason("Request.Invalid", "bytes; at most"),
    "it is not a readable request": Reason("Request.Invalid", "the request is not JSON"),
    "its request id is taken by a different request": Reason("Request.Conflict", "its request id is taken"),
    # A task message an app set aside (the apps name no error for these, only the reason).
    "it is not readable": Reason(None, "the message is not JSON"),
    "it was not sent by the pipeline": Reason(None, "the message has no taskToken"),
    "its task reference is not text": Reason(None, "the message's taskToken must be a string"),
    "it is too big for a task": Reason(None, "bytes; a task from the state machine is at most"),
}

# Errors that stand for a missed heartbeat, as a Retry or a Catch sees them and as AWS reports them.
HEARTBEAT_ERRORS = ("States.Timeout", "States.HeartbeatTimeout")


def state_of(phrase: str) -> str:
    return _look_up(STATES, phrase, "step of the pipeline")


def reason_of(phrase: str) -> Reason:
    return _look_up(REASONS, phrase, "reason")


def _look_up(table: dict, phrase: str, what: str):
    try:
        return table[phrase]
    except KeyError:
        known = "; ".join(repr(p) for p in table)
        raise KeyError(f"no {what} is worded {phrase!r}; steps/phrases.py knows: {known}") from None
