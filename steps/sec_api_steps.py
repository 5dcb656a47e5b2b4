"""Steps about the SEC API: what it is made to answer, and how often the pipeline asked it."""

from __future__ import annotations

from behave import fixture, given, then, use_fixture
from hamcrest import assert_that, equal_to

from steps import sec_api_control
from steps.outcomes import tries_of
from steps.pipeline_context import explain
from steps.sec_api_control import wrong_api_key

TOO_MANY = 429


@fixture
def sec_api_answers(context, cik, status, times):
    sec_api_control.answer_for(context, cik, status, times)
    yield
    sec_api_control.answer_normally_for(context, cik)


@given("the SEC API turns away the next {times:d} queries about CIK {cik} as too many")
def step_sec_api_throttles(context, times, cik):
    sec_api_control.count_queries_from_now(context, cik)
    use_fixture(sec_api_answers, context, cik, TOO_MANY, times)


@given("the SEC API key the pipeline holds is wrong")
def step_wrong_key(context):
    use_fixture(wrong_api_key, context)


@then("the SEC API was asked {times:d} times about CIK {cik}")
def step_sec_api_asked(context, times, cik):
    asked = sec_api_control.queries_since_counting(context, cik)
    assert_that(asked, equal_to(times), f"queries about CIK {cik}")


@then("{state_phrase} was tried {tries:d} times, asking the SEC API {queries:d} times in all")
def step_tried_and_asked(context, state_phrase, tries, queries):
    cik = context.requested["cik"]
    assert_that(tries_of(context, state_phrase), equal_to(tries), f"tries of {state_phrase}\n{explain(context)}")
    assert_that(sec_api_control.queries_since_counting(context, cik), equal_to(queries), f"queries about CIK {cik}")


@then("{state_phrase} was tried {tries:d} times without asking the SEC API")
def step_tried_without_asking(context, state_phrase, tries):
    step_tried_and_asked(context, state_phrase, tries, 0)


@fixture
def sec_api_answers_with(context, cik, answer):
    sec_api_control.answer_with(context, cik, answer)
    yield
    sec_api_control.answer_normally_for(context, cik)


# The stand-in's hostile answers (sec_api_standin/hostile_answers.py), in the analysts' words.
HOSTILE_ANSWERS = {
    "a filing number that climbs out of its folder": "accession-path",
    "a filing number that is not text": "accession-object",
    "a filing without a number": "no-accession",
    "far more filings than were asked for": "too-many",
    "a filing far too large": "oversized",
}


@given("the SEC API answers queries about CIK {cik} with {answer}")
def step_sec_api_hostile_answer(context, cik, answer):
    use_fixture(sec_api_answers_with, context, cik, HOSTILE_ANSWERS[answer])


@given("the SEC API holds every query about CIK {cik} without answering")
def step_sec_api_silent(context, cik):
    use_fixture(sec_api_answers_with, context, cik, "silent")
