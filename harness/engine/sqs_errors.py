"""SQS errors as AWS reports them: SendMessage without MessageBody, and SQS errors in a task.

AWS (SQS API reference, SendMessage): ``MessageBody`` is required; a request without it answers
HTTP 400 ``MissingParameter``, "The request must contain the parameter MessageBody.". moto
failed inside (HTTP 500), so a Step Functions ``sqs:sendMessage`` task given a null body failed
with SQS.SdkClientException and an HTML page as its cause, where AWS reports
SQS.AmazonSQSException.

An error SQS answers (an HTTP error response) reaches an ``sqs:`` task as AWS's SDK names it:
``SQS.AmazonSQSException``, with the cause "<message> (Service: AmazonSQS; Status Code: 400;
Error Code: <code>; Request ID: <id>; Proxy: null)". moto named it SQS.SdkClientException, the
name AWS keeps for failures on the client's side (no answer at all), with the bare message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final

from botocore.exceptions import ClientError
from moto.sqs.exceptions import MissingParameter
from moto.sqs.responses import SQSResponse
from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs import (
    StateTaskServiceSqs,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

SERVICE_ERROR: Final = "SQS.AmazonSQSException"


def _wrap(original: Callable[[SQSResponse], Any]) -> Callable[[SQSResponse], Any]:
    @functools.wraps(original)
    def send_message(self: SQSResponse) -> Any:
        if self._get_param("MessageBody") is None:
            raise MissingParameter("MessageBody")
        return original(self)

    send_message.__required_body__ = True  # type: ignore[attr-defined]
    return send_message


def sqs_cause(error: ClientError) -> str:
    meta = error.response.get("ResponseMetadata", {})
    details = "; ".join(["Service: AmazonSQS", f"Status Code: {meta.get('HTTPStatusCode')}",
                         f"Error Code: {error.response['Error'].get('Code')}",
                         f"Request ID: {meta.get('RequestId')}", "Proxy: null"])
    return f"{error.response['Error'].get('Message')} ({details})"


def _wrap_from_error(original: Callable[..., FailureEvent]) -> Callable[..., FailureEvent]:
    @functools.wraps(original)
    def _from_error(self: StateTaskServiceSqs, env: Environment, ex: Exception) -> FailureEvent:
        if not isinstance(ex, ClientError):
            return original(self, env, ex)
        return FailureEvent(
            env=env, error_name=CustomErrorName(SERVICE_ERROR), event_type=HistoryEventType.TaskFailed,
            event_details=EventDetails(taskFailedEventDetails=TaskFailedEventDetails(
                error=SERVICE_ERROR, cause=sqs_cause(ex), resource=self._get_sfn_resource(),
                resourceType=self._get_sfn_resource_type())))

    _from_error.__sqs_errors__ = True  # type: ignore[attr-defined]
    return _from_error


def install() -> None:
    if not getattr(SQSResponse.send_message, "__required_body__", False):
        SQSResponse.send_message = _wrap(SQSResponse.send_message)  # type: ignore[method-assign]
    if not getattr(StateTaskServiceSqs._from_error, "__sqs_errors__", False):
        StateTaskServiceSqs._from_error = _wrap_from_error(StateTaskServiceSqs._from_error)  # type: ignore[method-assign]
