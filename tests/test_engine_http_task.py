"""The HTTP Task (arn:aws:states:::http:invoke) calls the API it names and answers as AWS does."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.http_fixtures import serving
from tests.engine_fixtures import client, run

CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/orders-api/0b2c3d4e"


class _Recorder(BaseHTTPRequestHandler):
    """Answers /orders with 200 and what it received; anything else with 404."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/orders":
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"message": "no such order"}')
            return
        answer = json.dumps({"method": self.command, "query": dict(urllib.parse.parse_qsl(url.query)),
                             "body": body, "contentType": self.headers.get("Content-Type"),
                             "tenant": self.headers.get("X-Tenant"), "apiKey": self.headers.get("X-Api-Key")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    with serving(_Recorder) as url:
        yield url


def http_task(parameters: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
        "Parameters": {"Authentication": {"ConnectionArn": CONNECTION}, **parameters}, **fields}}}


def test_get_with_query_and_headers(sfn: Any, api: str) -> None:
    result = run(sfn, http_task({"ApiEndpoint": f"{api}/orders", "Method": "GET",
                                 "QueryParameters": {"status": "open"}, "Headers": {"X-Tenant": "acme"}}))
    assert result["status"] == "SUCCEEDED", result.get("cause")
    output = json.loads(result["output"])
    assert output["StatusCode"] == 200 and output["StatusText"] == "OK"
    assert output["ResponseBody"]["method"] == "GET"
    assert output["ResponseBody"]["query"] == {"status": "open"}
    assert output["ResponseBody"]["tenant"] == "acme"
    assert output["Headers"]["Content-Type"] == ["application/json"]


def test_post_json_body(sfn: Any, api: str) -> None:
    result = run(sfn, http_task({"ApiEndpoint": f"{api}/orders", "Method": "POST", "RequestBody.$": "$.order"}),
                 {"order": {"id": 7}})
    body = json.loads(result["output"])["ResponseBody"]
    assert (body["method"], json.loads(body["body"]), body["contentType"]) == ("POST", {"id": 7}, "application/json")


def test_url_encoded_body(sfn: Any, api: str) -> None:
    result = run(sfn, http_task({"ApiEndpoint": f"{api}/orders", "Method": "POST", "RequestBody": {"id": "7"},
                                 "Transform": {"RequestBodyEncoding": "URL_ENCODED"}}))
    body = json.loads(result["output"])["ResponseBody"]
    assert (body["body"], body["contentType"]) == ("id=7", "application/x-www-form-urlencoded")


def test_an_error_status_fails_the_task_with_the_status_code(sfn: Any, api: str) -> None:
    definition = http_task({"ApiEndpoint": f"{api}/missing", "Method": "GET"},
                           Catch=[{"ErrorEquals": ["States.Http.StatusCode.404"], "Next": "NotFound"}])
    del definition["States"]["Call"]["End"]
    definition["States"]["Call"]["Next"] = "Done"
    definition["States"].update({"Done": {"Type": "Succeed"}, "NotFound": {"Type": "Pass", "End": True}})
    result = run(sfn, definition)
    assert result["status"] == "SUCCEEDED"
    caught = json.loads(result["output"])
    assert caught["Error"] == "States.Http.StatusCode.404"
    assert json.loads(caught["Cause"])["ResponseBody"] == {"message": "no such order"}


def test_jsonata_arguments(sfn: Any, api: str) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
        "Arguments": {"ApiEndpoint": f"{api}/orders", "Method": "GET",
                      "Authentication": {"ConnectionArn": CONNECTION},
                      "QueryParameters": {"id": "{% $string($states.input.id) %}"}},
        "Output": "{% $states.result.ResponseBody.query %}"}}}
    result = run(sfn, definition, {"id": 42})
    assert result["status"] == "SUCCEEDED", result.get("cause")
    assert json.loads(result["output"]) == {"id": "42"}


def test_a_declared_connection_adds_its_api_key_and_parameters(sfn: Any, endpoint: str, api: str) -> None:
    events = client(endpoint, "events")
    connection = events.create_connection(
        Name="orders-api-key", AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "X-Api-Key", "ApiKeyValue": "k-123"},
                        "InvocationHttpParameters": {"QueryStringParameters": [{"Key": "source", "Value": "sfn"}]}})
    definition = http_task({"ApiEndpoint": f"{api}/orders", "Method": "GET"})
    definition["States"]["Call"]["Parameters"]["Authentication"]["ConnectionArn"] = connection["ConnectionArn"]
    result = run(sfn, definition)
    body = json.loads(result["output"])["ResponseBody"]
    assert (body["apiKey"], body["query"]) == ("k-123", {"source": "sfn"})
