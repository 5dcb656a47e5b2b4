"""Dispatcher: one execution per filing request, named after the request id.

Because the name is the request id, a redelivered or repeated request starts nothing twice:
Step Functions refuses a second execution of the same name. A request the operator is
redriving (REDRIVING in the catalogue, with its count) gets a name of its own
(workers/execution_names.py); nothing in the message itself can ask for one. A request that does not parse,
or that reuses the id of a different request, is moved to the request dead-letter queue with
the reason.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from botocore.exceptions import ClientError

from workers import app, aws, faults, startup
from workers.errors import InvalidRequest
from workers.catalogue import Catalogue
from workers.execution_names import execution_name, redrive_attempt
from workers.filing_request import FilingRequest, parse_request_body
from workers.queue_loop import Rejected

log = logging.getLogger("dispatcher")


def state_machine_arn(sfn: Any, name: str) -> str:
    def find() -> str | None:
        for page in sfn.get_paginator("list_state_machines").paginate():
            for machine in page["stateMachines"]:
                if machine["name"] == name:
                    return str(machine["stateMachineArn"])
        return None

    return startup.wait_for(find, f"state machine {name}")


def execution_arn(machine_arn: str, name: str) -> str:
    return f"{machine_arn.replace(':stateMachine:', ':execution:', 1)}:{name}"


def same_request(sfn: Any, arn: str, request: FilingRequest) -> bool:
    """Whether the execution of that name was started for this very request."""
    started_with = json.loads(sfn.describe_execution(executionArn=arn)["input"])
    return bool(started_with == request.as_dict())


def make_handler() -> app.Handler:
    sfn = aws.client("stepfunctions")
    catalogue = Catalogue(aws.required_env("FILINGS_TABLE_NAME"))
    machine = os.environ.get("STATE_MACHINE_ARN") or state_machine_arn(
        sfn, aws.required_env("STATE_MACHINE_NAME")
    )

    def handle(message: dict[str, Any]) -> None:
        try:
            request = parse_request_body(message["Body"])
            name = execution_name(request.request_id, redrive_attempt(catalogue.get(request.request_id)))
        except InvalidRequest as exc:
            raise Rejected(f"{exc.error_name}: {exc}") from None
        except ValueError as exc:
            raise Rejected(f"{InvalidRequest.error_name}: {exc}") from None
        try:
            started = sfn.start_execution(stateMachineArn=machine, name=name, input=request.to_json())
            log.info("request %s: started %s", request.request_id, started["executionArn"])
            faults.after_write(f"execution {name}")
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ExecutionAlreadyExists":
                raise
            if not same_request(sfn, execution_arn(machine, name), request):
                # Not a repeat: another request under a used id. Set aside, not dropped.
                raise Rejected(
                    "Request.Conflict: its request id is taken by a different request "
                    f"(execution {name}); send this one under a new request id"
                ) from None
            log.info("request %s: %s already started, nothing to do", request.request_id, name)

    return handle


def main() -> None:
    app.run("dispatcher", "REQUEST_QUEUE_NAME", make_handler)


if __name__ == "__main__":
    main()
