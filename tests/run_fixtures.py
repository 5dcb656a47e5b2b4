"""A request's run of a pipeline-shaped state machine that fails at its second step, on a real
emulator: for the tests of the recorder and of the operator's redrive command."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from harness.aws_clients import Clients
from harness.waiting import wait_until

ROLE = "arn:aws:iam::123456789012:role/run-tests"
UNAVAILABLE = "the SEC API answered 503 after retries"


def pipeline_like(hold_seconds: int = 0) -> dict[str, Any]:
    """Ingest, then FetchFiling, which fails (Sec.Unavailable) until the run is redriven, then Hold."""
    fetch_output = ("{% $states.context.Execution.RedriveCount > 0 ? $merge([$states.input, {'fetched': true}]) : "
                    f"$error('{UNAVAILABLE}') %}}")
    return {"QueryLanguage": "JSONata", "StartAt": "Ingest", "States": {
        "Ingest": {"Type": "Pass", "Output": "{% $merge([$states.input, {'ingested': true}]) %}", "Next": "FetchFiling"},
        "FetchFiling": {"Type": "Pass", "Output": fetch_output, "Next": "Hold"},
        "Hold": {"Type": "Wait", "Seconds": hold_seconds, "End": True},
    }}


def make_machine(clients: Clients, definition: dict[str, Any]) -> str:
    return str(clients.stepfunctions.create_state_machine(
        name=f"runs-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"])


def ended(clients: Clients, arn: str, redrives: int = 0) -> dict[str, Any]:
    sfn = clients.stepfunctions

    def done() -> dict[str, Any] | None:
        described = sfn.describe_execution(executionArn=arn)
        finished = described["status"] not in ("RUNNING", "PENDING_REDRIVE")
        return described if finished and described.get("redriveCount", 0) >= redrives else None

    return wait_until(done, timeout=30, awaited=f"run {arn} to end", interval=0.05)


def failed_run(clients: Clients, machine: str, request_id: str | None = None, name: str | None = None) -> dict[str, Any]:
    """A request's run, started and failed; its DescribeExecution."""
    request_id = request_id or f"req-{uuid.uuid4().hex[:12]}"
    started = clients.stepfunctions.start_execution(
        stateMachineArn=machine, name=name or request_id,
        input=json.dumps({"request_id": request_id, "cik": "789019", "form_type": "10-K", "count": 1}))
    described = ended(clients, started["executionArn"])
    assert described["status"] == "FAILED", described
    return described


def status_event(described: dict[str, Any]) -> dict[str, str]:
    """The message EventBridge would put on the recorder's queue for that run (the fields read)."""
    detail = {"executionArn": described["executionArn"], "status": described["status"], "name": described["name"]}
    return {"Body": json.dumps({"source": "aws.states", "detail-type": "Step Functions Execution Status Change",
                                "detail": detail})}


Handler = Callable[[dict[str, Any]], None]
