"""How a request ended, checked the one way every step module needs it (no steps here).

The steps that say "the request is complete" or "has failed at ... because ..." in different
sentences share these checks, so the same words always check the same things.
"""

from __future__ import annotations

from typing import Any

from hamcrest import assert_that, equal_to, has_entries

from steps.phrases import reason_of, state_of
from steps.pipeline_context import catalogue_item, current_execution, explain, recorded_failure


def assert_complete(context: Any) -> None:
    report = current_execution(context)
    assert_that(report.status, equal_to("SUCCEEDED"), explain(context))
    assert_that(catalogue_item(context), has_entries(status="COMPLETE"), explain(context))


def assert_failed(context: Any, state_phrase: str, reason_phrase: str) -> None:
    """The execution failed at that step with the reason's error, and the catalogue records it."""
    state, error = state_of(state_phrase), reason_of(reason_phrase).error
    report = current_execution(context)
    failed = report.failed_state
    assert_that(report.status, equal_to("FAILED"), explain(context))
    assert_that(failed and failed.name, equal_to(state), explain(context))
    assert_that(report.error, equal_to(error), explain(context))
    assert_that(
        recorded_failure(context),
        has_entries(status="FAILED", failed_state=state, error=error, failure_cause=report.cause),
        f"the failure must be recorded on the catalogue item\n{explain(context)}",
    )


def tries_of(context: Any, state_phrase: str) -> int:
    """How often the step was tried: each attempt, the first and every retry, counts once."""
    state = state_of(state_phrase)
    return sum(visit.attempts for visit in current_execution(context).path if visit.name == state)
