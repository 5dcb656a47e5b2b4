"""What the step modules share: where the pipeline's resources are, and how to read them.

Resource names live here, never in feature text. Everything a scenario leaves behind is keyed
by its own request id, so scenarios do not see each other's data.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from hamcrest import assert_that, equal_to, not_none

from harness.emulator_wait import execution_wake, queue_wake
from harness.resources import queue_contents
from harness.statemachine.executions import ExecutionReport, execution_arn, wait_for_end
from harness.waiting import wait_until
from steps.phrases import Reason
from workers.archive import request_prefix

_deserialize = TypeDeserializer().deserialize

# Apps whose logs explain a failure at each state.
APP_OF_STATE = {"Ingest": "ingest", "FetchFiling": "utilities", "Validate": "validator"}
# The app that records a failed run on the catalogue (workers/recorder.py).
RECORDER = "recorder"


def placeholder(context: Any, name: str) -> str:
    return context.stack.provisioned.placeholders[name]


def new_request_id() -> str:
    return f"req-{uuid.uuid4().hex[:16]}"


def send_request(context: Any, body: dict[str, Any] | str) -> None:
    """Put a filing request on the request queue, as an analyst's tool would."""
    text = body if isinstance(body, str) else json.dumps(body)
    context.stack.aws.sqs.send_message(QueueUrl=placeholder(context, "RequestQueueUrl"), MessageBody=text)
    context.sent_body = text  # what a set-aside request must keep, whole


def request_latest(context: Any, form_type: str, cik: str) -> None:
    """An analyst's request for the latest filing of that form, under a new request id."""
    context.request_id = new_request_id()
    context.requested = {"request_id": context.request_id, "cik": cik, "form_type": form_type}
    send_request(context, context.requested)


def request_execution_arn(context: Any) -> str:
    # The request id names its execution; an operator's redrive takes up that same execution.
    return execution_arn(context.stack.provisioned.state_machine_arn, context.request_id)


def redrives_sent(context: Any) -> int:
    """How often the scenario had the request's run redriven: its end is the end after the last."""
    return int(getattr(context, "redrives", 0))


def execution_exists(context: Any) -> bool:
    sfn = context.stack.aws.stepfunctions
    try:
        sfn.describe_execution(executionArn=request_execution_arn(context))
        return True
    except sfn.exceptions.ExecutionDoesNotExist:
        return False


def dead_lettered(context: Any, logical_queue: str, marker: str) -> dict[str, Any] | None:
    """The message holding ``marker`` (a request id) in a queue's dead-letter queue, if there is one.

    The whole dead-letter queue is read and left as it was (harness/resources/queue_contents.py).
    """
    url = placeholder(context, f"{logical_queue}DeadLetterUrl")
    return next((m for m in queue_contents.read_all(context.stack.aws.sqs, url) if marker in m["Body"]), None)


def wait_until_set_aside(context: Any, logical_queue: str, marker: str, awaited: str) -> dict[str, Any]:
    """The message holding ``marker`` once it is on the queue's dead-letter queue; on the emulator
    the wait ends when it arrives, not at the next look."""
    wake = queue_wake(context.stack.aws.sqs, placeholder(context, f"{logical_queue}DeadLetterUrl"), marker)
    return wait_until(
        lambda: dead_lettered(context, logical_queue, marker),
        timeout=context.settings.execution_timeout, awaited=awaited, wake=wake,
    )


def assert_set_aside(message: dict[str, Any], app: str, reason: Reason) -> None:
    """A dead-lettered message names the app that set it aside and why (workers/queue_loop.py)."""
    attributes = {name: value["StringValue"] for name, value in message.get("MessageAttributes", {}).items()}
    assert_that(attributes.get("RejectedBy"), equal_to(app), "the app that set the message aside")
    assert_that(attributes.get("RejectionReason", ""), reason.in_text(), "the reason recorded with it")


def wait_until_processed(context: Any) -> None:
    """Wait until the request has either become an execution that ended, or been set aside."""
    timeout = context.settings.execution_timeout

    def outcome() -> str | None:
        if execution_exists(context):
            return "execution"
        context.dead_letter = dead_lettered(context, "RequestQueue", context.request_id)
        return "dead-lettered" if context.dead_letter else None

    # On the emulator, the wait ends when either happens rather than at the next look.
    wake = execution_wake(
        context.stack.aws.stepfunctions, request_execution_arn(context), "started",
        queue=placeholder(context, "RequestQueueDeadLetterUrl"), holding=context.request_id,
    )
    context.outcome = wait_until(
        outcome, timeout=timeout, awaited=f"request {context.request_id} to start an execution or be set aside",
        wake=wake,
    )
    if context.outcome == "execution":
        sfn = context.stack.aws.stepfunctions
        record_execution(context, wait_for_end(sfn, request_execution_arn(context), timeout, redrives_sent(context)))


def current_execution(context: Any) -> ExecutionReport:
    """The execution of the scenario's request, once it has ended: waited for if not seen yet.

    A `Then` may follow a `When` that only set something going (an app restarted, a request
    sent through again); it waits, with the deadline, for the outcome it checks.
    """
    report = getattr(context, "execution", None)
    if (report is None or getattr(context, "execution_of", None) != context.request_id
            or report.redrive_count < redrives_sent(context)):
        wait_until_processed(context)
        report = getattr(context, "execution", None)
    assert_that(report, not_none(), f"request {context.request_id} started no execution\n{explain(context)}")
    return report


def executions_of_request(context: Any) -> list[dict[str, Any]]:
    """Every execution started for the scenario's request, whatever its name, oldest first.

    Found by the request id in each execution's input, not by name: a second execution under
    another name (a duplicate start) is counted too.
    """
    sfn = context.stack.aws.stepfunctions
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=context.stack.provisioned.state_machine_arn)
    found = []
    for page in pages:
        for listed in page["executions"]:
            described = sfn.describe_execution(executionArn=listed["executionArn"])
            started_with = json.loads(described.get("input") or "{}")
            if isinstance(started_with, dict) and started_with.get("request_id") == context.request_id:
                found.append(described)
    return sorted(found, key=lambda e: e["startDate"])


def record_execution(context: Any, report: ExecutionReport) -> None:
    context.execution, context.execution_of = report, context.request_id
    context.executions.append(report)


def catalogue_item(context: Any) -> dict[str, Any] | None:
    item = context.stack.aws.dynamodb.get_item(
        TableName=placeholder(context, "FilingsTableName"),
        Key={"request_id": {"S": context.request_id}},
        ConsistentRead=True,
    ).get("Item")
    return {k: _deserialize(v) for k, v in item.items()} if item else None


def recorded_failure(context: Any) -> dict[str, Any]:
    """The catalogue item once a failure is recorded on it: the recorder app does that after the
    run has ended, from its status change event, so it is waited for (with the deadline)."""
    return wait_until(
        lambda: (item := catalogue_item(context)) is not None and item.get("status") == "FAILED" and item,
        timeout=context.settings.execution_timeout,
        awaited=f"request {context.request_id}'s failure to be recorded in the catalogue",
        describe_last=lambda: (f"the catalogue item is {catalogue_item(context)}; the recorder app's last lines:\n"
                               f"{context.stack.app_log_tail(RECORDER, 5)}"),
    )


def archived_keys(context: Any) -> list[str]:
    """Every object the archive keeps for the scenario's request."""
    s3 = context.stack.aws.s3
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=placeholder(context, "FilingsBucketName"), Prefix=request_prefix(context.request_id)
    )
    return [obj["Key"] for page in pages for obj in page.get("Contents", [])]


def relevant_apps(context: Any) -> list[str]:
    """The app whose state failed; every app when no execution says which."""
    report = getattr(context, "execution", None)
    failed = report.failed_state if report else None
    return [APP_OF_STATE[failed.name]] if failed and failed.name in APP_OF_STATE else context.stack.app_names()


def left_behind(context: Any) -> dict[str, Any] | None:
    """For the report: what the scenario's request left in the archive and the catalogue."""
    request_id = getattr(context, "request_id", None)
    if request_id is None:
        return None
    return {"request_id": request_id, "s3_keys": archived_keys(context), "dynamodb_item": catalogue_item(context)}


def register_report_callbacks(context: Any) -> None:
    """The report calls these after each scenario; the harness redacts what they return."""
    context.left_behind = lambda: left_behind(context)
    context.failure_logs = lambda: {app: context.stack.app_log_tail(app, 20) for app in relevant_apps(context)}


def explain(context: Any) -> str:
    """What an analyst needs when a check fails: the execution's path and the apps' last words."""
    report = getattr(context, "execution", None)
    lines = [report.summary()] if report else [f"request {context.request_id}: no execution seen"]
    for app in relevant_apps(context):
        lines.append(f"--- last lines of the {app} log ---\n{context.stack.app_log_tail(app, 10)}")
    return "\n".join(lines)
