"""Dispatcher: one execution per filing request, named after the request id.

Because the name is the request id, a redelivered or repeated request starts nothing twice:
Step Functions refuses a second execution of the same name. A request that failed is sent
through again by redriving that same execution (workers/redrive.py), never by a new one. A
request that does not parse, or that reuses the id of a different request, is moved to the
request dead-letter queue with the reason.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from botocore.exceptions import ClientError

from workers import app, aws, faults, runs
from workers.errors import InvalidRequest
from workers.filing_request import FilingRequest, parse_request_body
from workers.queue_loop import Rejected

log = logging.getLogger("dispatcher")


def same_request(sfn: Any, arn: str, request: FilingRequest) -> bool:
    """Whether the execution of that name was started for this very request."""
    started_with = json.loads(sfn.describe_execution(executionArn=arn)["input"])
    return bool(started_with == request.as_dict())


def make_handler() -> app.Handler:
    sfn = aws.client("stepfunctions")
    machine = runs.state_machine_arn(sfn)

    def handle(message: dict[str, Any]) -> None:
        try:
            request = parse_request_body(message["Body"])
        except InvalidRequest as exc:
            raise Rejected(f"{exc.error_name}: {exc}") from None
        name = request.request_id
        try:
            started = sfn.start_execution(stateMachineArn=machine, name=name, input=request.to_json())
            log.info("request %s: started %s", request.request_id, started["executionArn"])
            faults.after_write(f"execution {name}")
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ExecutionAlreadyExists":
                raise
            if not same_request(sfn, runs.execution_arn(machine, name), request):
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
