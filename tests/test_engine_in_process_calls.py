"""The interpreter's calls answered in-process reach the application as they would over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest
from botocore.config import Config
from hamcrest import assert_that, equal_to, has_entries

from harness.engine import in_process_calls
from harness.stacks.emulator_server import make_emulator_server
from tests.http_fixtures import running

# The parts of an environment the transport does not decide (the client's address and port,
# the server's name, its software) are left out; everything an application reads is compared.
TRANSPORT_KEYS = {"REMOTE_ADDR", "REMOTE_PORT", "SERVER_NAME", "SERVER_SOFTWARE", "werkzeug.socket"}


class _Recorder:
    """A WSGI application that keeps each request's environment and body and answers JSON."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read()
        kept = {k: v for k, v in environ.items()
                if isinstance(v, str) and k not in TRANSPORT_KEYS and not k.startswith("wsgi.")}
        self.seen.append({"environ": kept, "body": body})
        answer = json.dumps({"QueueUrls": ["http://q/1"]}).encode()
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0"),
                                  ("Content-Length", str(len(answer))), ("X-Twice", "a"), ("X-Twice", "b")])
        return [answer]


@contextmanager
def _listening(app: Any) -> Iterator[str]:
    with running(make_emulator_server("127.0.0.1", 0, app), "localhost") as url:
        yield url


def _sqs(endpoint: str, in_process: bool) -> Any:
    client = boto3.client("sqs", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="ak",
                          aws_secret_access_key="sk", config=Config(retries={"total_max_attempts": 1}))
    if in_process:
        client.meta.events.register("before-send", in_process_calls.answer_in_process)
    return client


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    app = _Recorder()
    in_process_calls.serve(app)
    try:
        yield app
    finally:
        in_process_calls.serve(None)


def test_a_call_answered_in_process_reaches_the_application_as_over_http(recorder: _Recorder) -> None:
    with _listening(recorder) as endpoint:
        answers = [_sqs(endpoint, in_process).list_queues(QueueNamePrefix="a b/ü")
                   for in_process in (False, True)]
    over_http, in_process = recorder.seen
    for name in ("X_AMZ_DATE", "AUTHORIZATION", "AMZ_SDK_INVOCATION_ID"):  # differ per call
        for seen in recorder.seen:
            seen["environ"].pop(f"HTTP_{name}", None)
    assert_that(in_process, equal_to(over_http))
    assert_that([a["QueueUrls"] for a in answers], equal_to([["http://q/1"], ["http://q/1"]]))
    assert_that(answers[1]["ResponseMetadata"]["HTTPHeaders"], has_entries({"x-twice": "a, b"}))


def test_a_path_and_query_answered_in_process_reach_the_application_as_over_http(recorder: _Recorder) -> None:
    def s3(endpoint: str, in_process: bool) -> Any:
        client = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="ak",
                              aws_secret_access_key="sk", config=Config(s3={"addressing_style": "path"}))
        if in_process:
            client.meta.events.register("before-send", in_process_calls.answer_in_process)
        return client

    with _listening(recorder) as endpoint:
        for in_process in (False, True):
            s3(endpoint, in_process).get_object(Bucket="bkt", Key="dir/a b+ü%.json", VersionId="v 1")
    for seen in recorder.seen:
        for name in ("X_AMZ_DATE", "AUTHORIZATION", "AMZ_SDK_INVOCATION_ID"):
            seen["environ"].pop(f"HTTP_{name}", None)
    over_http, in_process = recorder.seen
    assert_that(in_process, equal_to(over_http))
    assert_that(over_http["environ"]["REQUEST_URI"], equal_to("/bkt/dir/a%20b%2B%C3%BC%25.json?versionId=v%201"))


def test_without_an_application_or_with_an_underscored_header_the_call_goes_over_http(recorder: _Recorder) -> None:
    request = AWSPreparedRequest("POST", "http://localhost:1/", {"x-amz-meta-my_key": "v"}, b"{}", None)
    assert_that(in_process_calls.answer_in_process(request), equal_to(None))
    in_process_calls.serve(None)
    plain = AWSPreparedRequest("POST", "http://localhost:1/", {}, b"{}", None)
    assert_that(in_process_calls.answer_in_process(plain), equal_to(None))
    assert_that(recorder.seen, equal_to([]))


def test_an_application_error_answers_500_as_the_server_would(recorder: _Recorder) -> None:
    def failing(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise RuntimeError("planted")

    in_process_calls.serve(failing)
    answer = in_process_calls.answer_in_process(AWSPreparedRequest("POST", "http://localhost:1/", {}, b"{}", None))
    assert answer is not None
    assert_that(answer.status_code, equal_to(500))
