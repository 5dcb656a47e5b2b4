"""The SEC API as the steps set it up: the stand-in's faults and query counts, the key held.

No steps here (see steps/phrases.py for why helpers sit flat in steps/). The control paths are
the stand-in's own (sec_api_standin/README.md), not part of the real API: a stack pointed at
another SEC API cannot run the scenarios that need them, and says so.
"""

from __future__ import annotations

import json
import math
import urllib.request
from dataclasses import dataclass
from typing import Any

from behave import fixture


def call(context: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
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


def queries_for(context: Any, cik: str) -> int:
    """Every query about the company the stand-in has answered, whatever its answer."""
    stats = call(context, "GET", "/_standin/stats")
    return int(stats["byCik"].get(str(cik), {}).get("total", 0))


def count_queries_from_now(context: Any, cik: str) -> None:
    """Remember the count so far: a scenario's checks count only the queries that come after."""
    context.sec_queries_before = queries_for(context, cik)


def queries_since_counting(context: Any, cik: str) -> int:
    before = getattr(context, "sec_queries_before", None)
    if before is None:
        raise AssertionError("the scenario did not say when to start counting SEC API queries")
    return queries_for(context, cik) - before


def answer_for(context: Any, cik: str, status: int, times: int | None = None) -> None:
    """The next ``times`` queries about the company (every one, without ``times``) get ``status``."""
    fault: dict[str, Any] = {"cik": cik, "status": status}
    if times is not None:
        fault["times"] = times
    call(context, "POST", "/_standin/faults", fault)


def answer_normally_for(context: Any, cik: str) -> None:
    call(context, "DELETE", f"/_standin/faults?cik={cik}")


@fixture
def wrong_api_key(context: Any):
    """Store a wrong key where the pipeline reads it, and put the right one back afterwards."""
    secrets = context.stack.aws.secretsmanager
    name = context.stack.provisioned.placeholders["SecApiKeySecretName"]
    right = secrets.get_secret_value(SecretId=name)["SecretString"]
    context.wrong_key = "wrong-" + right[::-1]  # kept: the key search looks for it too
    secrets.put_secret_value(SecretId=name, SecretString=context.wrong_key)
    yield
    secrets.put_secret_value(SecretId=name, SecretString=right)


def answer_with(context: Any, cik: str, answer: str) -> None:
    """Every query about the company gets the stand-in's hostile ``answer`` (its README), until
    answering normally again lets go of any query it holds unanswered."""
    call(context, "POST", "/_standin/faults", {"cik": cik, "answer": answer})


@dataclass(frozen=True)
class SlowAnswers:
    """A slow SEC API within what the pipeline's SEC client allows: ``busy`` answers of 503 with
    a Retry-After of ``retry_after`` s, then the normal answer, each held ``hold`` s first."""

    busy: int
    retry_after: int
    hold: float

    @property
    def seconds(self) -> float:
        """The least a fetch takes through them: the client's own work comes on top."""
        return self.busy * (self.hold + self.retry_after) + self.hold


def slow_answers(lasting: float, attempt_timeout: float, retries: int) -> SlowAnswers:
    """Answers that keep one fetch waiting at least ``lasting`` s, the fewest busy ones first,
    though the client gives each attempt ``attempt_timeout`` s and asks again ``retries`` times.

    Each hold is at most half the attempt's timeout, so a busy machine does not turn a slow
    answer into a timed-out one; Retry-After is in whole seconds, as the header carries it, and
    within the attempt's timeout, which caps what the client honours (workers/sec_client.py).
    """
    retry_after = math.floor(attempt_timeout)
    for busy in range(retries + 1):
        hold = math.ceil(max(lasting - busy * retry_after, 0.0) / (busy + 1) * 100) / 100
        if hold <= attempt_timeout / 2:
            return SlowAnswers(busy, retry_after, hold)
    raise AssertionError(
        f"an SEC client that asks {retries + 1} times, {attempt_timeout:g} s each, cannot be kept "
        f"waiting {lasting:g} s by answers that each come in time"
    )


@fixture
def slow_sec_api(context: Any, cik: str, answers: SlowAnswers):
    """The stand-in answers about the company as ``answers`` say, then normally again."""
    if answers.busy:
        busy = {"cik": cik, "status": 503, "times": answers.busy, "retryAfter": answers.retry_after}
        call(context, "POST", "/_standin/faults", {**busy, "delay": answers.hold} if answers.hold else busy)
    if answers.hold:
        call(context, "POST", "/_standin/faults", {"cik": cik, "delay": answers.hold, "times": 1})
    yield
    answer_normally_for(context, cik)
