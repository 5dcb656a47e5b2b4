"""Recorder: records on the catalogue where and why a request's run of the pipeline failed.

Step Functions sends a status change event when a run fails, times out or is stopped; an
EventBridge rule (pipeline.json: ``state_machine.status_changes``) puts those on this app's
queue. The event only says which run: everything recorded is read from Step Functions itself
(workers/run_failure.py), so a message from anyone else, or one delivered late or twice, can
record nothing but a run's own current failure. So it records every failure alike, those an app
reported (an unknown company) and those no app did (a missed heartbeat once the retries are
spent, a task timeout, a message that could not be sent to an app).

Only the run named after the request records on its item (the dispatcher names it so), and
only while the request is in flight (workers/catalogue.py ``record_failure``). A run that was
redriven and is running again, or succeeded since, has nothing to record. A message that is not
a status change event of the pipeline's own runs is set aside with the reason.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from workers import app, aws, faults, runs
from workers.catalogue import Catalogue
from workers.queue_loop import Rejected
from workers.run_failure import ENDED_UNSUCCESSFULLY, read_failure

log = logging.getLogger("recorder")


def execution_named(body: str, machine_arn: str) -> str:
    """The ARN of the pipeline's run the event is about; Rejected if it is not such an event."""
    try:
        event = json.loads(body)
    except ValueError:
        raise Rejected("the message is not JSON") from None
    detail = event.get("detail") if isinstance(event, dict) else None
    arn = detail.get("executionArn") if isinstance(detail, dict) else None
    if not isinstance(arn, str):
        raise Rejected("the message is not a status change event: it names no executionArn")
    if not runs.is_execution_of(machine_arn, arn):
        raise Rejected(f"{arn[:200]} is not a run of the pipeline's state machine")
    return arn


def request_of(described: dict[str, Any]) -> str | None:
    """The request the run is for, if it is that request's own run (named after it)."""
    try:
        started_with = json.loads(described.get("input") or "null")
    except ValueError:
        return None
    request_id = started_with.get("request_id") if isinstance(started_with, dict) else None
    return request_id if request_id == described["name"] else None


def make_handler() -> app.Handler:
    sfn = aws.client("stepfunctions")
    catalogue = Catalogue(aws.required_env("FILINGS_TABLE_NAME"))
    machine = runs.state_machine_arn(sfn)

    def handle(message: dict[str, Any]) -> None:
        faults.on_task_start()
        arn = execution_named(message["Body"], machine)
        try:
            described = sfn.describe_execution(executionArn=arn)
        except sfn.exceptions.ExecutionDoesNotExist:
            raise Rejected(f"no run {arn[:200]} exists") from None
        name, status = described["name"], described["status"]
        if status not in ENDED_UNSUCCESSFULLY:
            log.info("run %s is %s now: nothing to record", name, status)
            return
        request_id = request_of(described)
        if request_id is None:
            log.info("run %s is not the run of the request it was started with: nothing recorded", name)
            return
        failure = read_failure(sfn, described)
        outcome = catalogue.record_failure(request_id, failure.as_fields())
        log.info("request %s failed at %s with %s: %s", request_id, failure.failed_state, failure.error, outcome)

    return handle


def main() -> None:
    app.run("recorder", "FAILED_RUNS_QUEUE_NAME", make_handler)


if __name__ == "__main__":
    main()
