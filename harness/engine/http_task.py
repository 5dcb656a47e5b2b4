"""The HTTP Task, ``arn:aws:states:::http:invoke``: a Task state that calls an HTTPS API.

moto 5.2.5 knows no ``http`` service and refuses such definitions ("Unknown service 'http'").
AWS's guide ("Call HTTPS APIs in Step Functions workflows") describes the task: its arguments
``ApiEndpoint``, ``Method``, ``Authentication.ConnectionArn``, ``Headers``, ``QueryParameters``,
``RequestBody`` and ``Transform.RequestBodyEncoding`` (``NONE`` or ``URL_ENCODED``); its result
``{"Headers", "ResponseBody", "StatusCode", "StatusText"}``, the body parsed when it is JSON; and
a response that is not 2xx fails the task with ``States.Http.StatusCode.<code>`` and the response
as the cause. Locally the request goes to whatever ``ApiEndpoint`` names (a stand-in on
127.0.0.1). The EventBridge connection, when the emulator holds it (CreateConnection), adds what
AWS adds from it: its API key header or basic authorisation, and its ``InvocationHttpParameters``
(headers, query string, body fields); a connection ARN the emulator does not hold is taken as
given, with no authorisation added, so a definition can run before its connection is declared.
OAuth connections are not authorised here.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from typing import Any, Final

import requests
from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
from moto.stepfunctions.parser.asl.component.state.exec.state_task import state_task_factory
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
    StateTaskServiceCallback,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

_TIMEOUT_S: Final = 60.0  # AWS's HTTP Task gives up after 60 seconds


class HttpStatusError(RuntimeError):
    def __init__(self, status: int, result: dict[str, Any]):
        super().__init__(f"States.Http.StatusCode.{status}")
        self.error = f"States.Http.StatusCode.{status}"
        self.cause = json.dumps(result)


class _HttpErrorName(ErrorName):
    """``States.Http.StatusCode.404`` and the like: predefined by the HTTP Task, not by moto."""


def _connection_auth(connection_arn: Any) -> dict[str, Any]:
    """The auth parameters of the EventBridge connection this ARN names, if the emulator holds it."""
    if not isinstance(connection_arn, str) or ":connection/" not in connection_arn:
        return {}
    from moto.events.models import events_backends

    parts = connection_arn.split(":")
    region, account, name = parts[3], parts[4], parts[5].split("/")[1]
    connection = events_backends[account][region].connections.get(name)
    return dict(connection.auth_parameters) if connection is not None else {}


def _apply_connection(auth: dict[str, Any], headers: dict[str, str], query: dict[str, Any],
                      body: Any) -> Any:
    api_key = auth.get("ApiKeyAuthParameters")
    if api_key:
        headers[api_key["ApiKeyName"]] = api_key["ApiKeyValue"]
    basic = auth.get("BasicAuthParameters")
    if basic:
        token = base64.b64encode(f"{basic['Username']}:{basic['Password']}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    invocation = auth.get("InvocationHttpParameters") or {}
    headers.update({p["Key"]: p["Value"] for p in invocation.get("HeaderParameters", [])})
    query.update({p["Key"]: p["Value"] for p in invocation.get("QueryStringParameters", [])})
    extra = {p["Key"]: p["Value"] for p in invocation.get("BodyParameters", [])}
    if extra and (body is None or isinstance(body, dict)):
        body = {**(body or {}), **extra}
    return body


def _body(parameters: dict[str, Any]) -> tuple[bytes | None, dict[str, str]]:
    body = parameters.get("RequestBody")
    if body is None:
        return None, {}
    encoding = (parameters.get("Transform") or {}).get("RequestBodyEncoding", "NONE")
    if encoding == "URL_ENCODED" and isinstance(body, dict):
        form = urllib.parse.urlencode(body, doseq=True).encode()
        return form, {"Content-Type": "application/x-www-form-urlencoded"}
    if isinstance(body, str):
        return body.encode(), {}
    return json.dumps(body).encode(), {"Content-Type": "application/json"}


def invoke(parameters: dict[str, Any]) -> dict[str, Any]:
    """Send the request an HTTP Task's arguments describe; the task's result, or HttpStatusError."""
    endpoint, method = parameters.get("ApiEndpoint"), parameters.get("Method")
    if not isinstance(endpoint, str) or not isinstance(method, str):
        raise ValueError("The HTTP Task needs 'ApiEndpoint' and 'Method' as strings")
    headers: dict[str, str] = {}
    query = dict(parameters.get("QueryParameters") or {})
    auth = _connection_auth((parameters.get("Authentication") or {}).get("ConnectionArn"))
    body = _apply_connection(auth, headers, query, parameters.get("RequestBody"))
    data, content_type = _body({**parameters, "RequestBody": body})
    headers.update(content_type)
    headers.update({str(k): str(v) for k, v in (parameters.get("Headers") or {}).items()})
    response = requests.request(method.upper(), endpoint, params=query, data=data, headers=headers,
                                timeout=_TIMEOUT_S)
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    result = {
        "Headers": {k: [v] for k, v in response.headers.items()},
        "ResponseBody": body,
        "StatusCode": response.status_code,
        "StatusText": response.reason,
    }
    if not 200 <= response.status_code < 300:
        raise HttpStatusError(response.status_code, result)
    return result


class StateTaskServiceHttp(StateTaskServiceCallback):
    def __init__(self) -> None:
        super().__init__(supported_integration_patterns=set())

    def _validate_service_integration_is_supported(self) -> None:
        if self.resource.api_action != "invoke":
            raise ValueError(f"The resource provided {self.resource.resource_arn} not recognized.")

    def _get_sfn_resource_type(self) -> str:
        return "http"

    def _from_error(self, env: Any, ex: Exception) -> FailureEvent:
        if isinstance(ex, HttpStatusError):
            return FailureEvent(
                env=env,
                error_name=_HttpErrorName(error_name=ex.error),
                event_type=HistoryEventType.TaskFailed,
                event_details=EventDetails(taskFailedEventDetails=TaskFailedEventDetails(
                    error=ex.error, cause=ex.cause, resource=self._get_sfn_resource(),
                    resourceType=self._get_sfn_resource_type())),
            )
        return super()._from_error(env=env, ex=ex)

    def _eval_service_task(self, env: Any, resource_runtime_part: Any, normalised_parameters: dict,
                           state_credentials: Any) -> None:
        env.stack.append(invoke(normalised_parameters))


def install() -> None:
    original = state_task_factory.state_task_service_for
    if getattr(original, "__knows_http__", False):
        return

    def state_task_service_for(service_name: str) -> Any:
        if service_name == "http":
            return StateTaskServiceHttp()
        return original(service_name)

    state_task_service_for.__knows_http__ = True  # type: ignore[attr-defined]
    state_task_factory.state_task_service_for = state_task_service_for
