"""Steps that set up the SEC API's behaviour: throttling, outages, a wrong key."""

from __future__ import annotations

import json
import urllib.request

from behave import fixture, given, then, use_fixture
from hamcrest import assert_that, greater_than_or_equal_to

from steps.pipeline_context import placeholder


def _standin(context, method, path, body=None):
    endpoint = context.stack.service_endpoints.get("sec-api")
    if endpoint is None:
        raise AssertionError("this scenario needs the SEC API stand-in, but the stack uses another SEC API")
    request = urllib.request.Request(
        endpoint.rstrip("/") + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read() or b"null")


@fixture
def standin_faults(context, cik, status, times):
    _standin(context, "POST", "/_standin/faults", {"cik": cik, "status": status, "times": times})
    yield
    _standin(context, "DELETE", "/_standin/faults")


@fixture
def standin_answers(context, cik, answer):
    """The stand-in answers every query about ``cik`` so, until the scenario ends (which also lets
    go of any query it holds unanswered)."""
    _standin(context, "POST", "/_standin/faults", {"cik": cik, "answer": answer})
    yield
    _standin(context, "DELETE", f"/_standin/faults?cik={cik}")


# The stand-in's hostile answers (sec_api_standin/hostile_answers.py), in the analysts' words.
HOSTILE_ANSWERS = {
    "a filing number that climbs out of its folder": "accession-path",
    "a filing number that is not text": "accession-object",
    "a filing without a number": "no-accession",
    "far more filings than were asked for": "too-many",
    "a filing far too large": "oversized",
}


@fixture
def wrong_api_key(context):
    """Store a wrong key where the pipeline reads it, and put the right one back afterwards."""
    secrets = context.stack.aws.secretsmanager
    name = placeholder(context, "SecApiKeySecretName")
    right = secrets.get_secret_value(SecretId=name)["SecretString"]
    secrets.put_secret_value(SecretId=name, SecretString="wrong-" + right[::-1])
    yield
    secrets.put_secret_value(SecretId=name, SecretString=right)


def queries_for(context, cik):
    stats = _standin(context, "GET", "/_standin/stats")
    return stats["byCik"].get(str(cik), {}).get("total", 0)


@given("the SEC API turns away the next {times:d} requests for CIK {cik} as too many")
def step_standin_throttles(context, times, cik):
    context.sec_queries_before = queries_for(context, cik)
    use_fixture(standin_faults, context, cik, 429, times)


@given("the SEC API key the pipeline holds is wrong")
def step_wrong_key(context):
    use_fixture(wrong_api_key, context)


@then("the SEC API was asked {times:d} times for CIK {cik}")
def step_standin_asked(context, times, cik):
    asked = queries_for(context, cik) - getattr(context, "sec_queries_before", 0)
    assert_that(asked, greater_than_or_equal_to(times), f"queries for CIK {cik}")


@given("the SEC API answers queries for CIK {cik} with {answer}")
def step_standin_hostile_answer(context, cik, answer):
    use_fixture(standin_answers, context, cik, HOSTILE_ANSWERS[answer])


@given("the SEC API holds every query for CIK {cik} without answering")
def step_standin_silent(context, cik):
    use_fixture(standin_answers, context, cik, "silent")
