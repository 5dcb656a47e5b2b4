"""Operator command: send failed filing requests through the pipeline again, from where they failed.

    python -m workers.redrive REQUEST_ID [REQUEST_ID ...]

Reads the same environment as the apps (the table, the state machine's name, the AWS endpoint
if any). For each request whose catalogue item is FAILED it redrives the request's own run of
the pipeline (Step Functions' RedriveExecution on the execution named after the request): the
run carries on from the step that failed, with the input that step was given, and the steps
that succeeded are not run again. Before that, the item goes back to the status it failed from
(so the step's app takes the work up again), keeps the first failure as ``first_failure`` and
counts ``redrives``; the recorder (workers/recorder.py) records a failure of the redriven run
as it recorded the first.

Refused, with the reason: a request not in the catalogue, one that is not FAILED, one whose run
Step Functions will not redrive (it ended more than 14 days ago, say). Running the command twice
redrives once: the second finds the request in flight again and says so. A redrive that the
catalogue counted but Step Functions never got (the command was stopped between the two) is
finished by the next run of the command. Exit status 2 if any request was refused.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from typing import Any

from botocore.exceptions import ClientError

from workers import aws, runs
from workers.catalogue import Catalogue
from workers.run_failure import ENDED_UNSUCCESSFULLY


class RedriveRefused(Exception):
    """The request cannot be redriven; the message says why in an operator's words."""


def client_token(execution_arn: str, attempt: int) -> str:
    """The same token for the same redrive of the same run: Step Functions redrives it once."""
    return f"redrive-{attempt}-{hashlib.sha256(execution_arn.encode('utf-8')).hexdigest()[:40]}"


class Redriver:
    def __init__(self, catalogue: Catalogue, sfn: Any, machine_arn: str) -> None:
        self.catalogue = catalogue
        self.sfn = sfn
        self.machine_arn = machine_arn

    def _run_of(self, request_id: str) -> dict[str, Any]:
        arn = runs.execution_arn(self.machine_arn, request_id)
        try:
            return dict(self.sfn.describe_execution(executionArn=arn))
        except self.sfn.exceptions.ExecutionDoesNotExist:
            raise RedriveRefused(f"request {request_id}: the pipeline has no run of it to send through again") from None

    def _redrive(self, run: dict[str, Any], attempt: int) -> None:
        self.sfn.redrive_execution(executionArn=run["executionArn"], clientToken=client_token(run["executionArn"], attempt))

    def redrive(self, request_id: str) -> str:
        """Redrive the request's run; return what was done, in an operator's words."""
        item = self.catalogue.get(request_id)
        if item is None:
            raise RedriveRefused(f"request {request_id}: not in the catalogue, nothing to redrive")
        run = self._run_of(request_id)
        status = item.get("status")
        counted = int(item.get("redrives", 0))
        if status != "FAILED":
            if counted and run["status"] in ENDED_UNSUCCESSFULLY and int(run.get("redriveCount", 0)) < counted:
                # Counted in the catalogue, never sent: the command stopped in between.
                self._redrive(run, counted)
                return f"request {request_id}: sent through again (redrive {counted}, finished now), from where it failed"
            if counted and run["status"] == "RUNNING" and int(run.get("redriveCount", 0)) >= counted:
                return f"request {request_id}: already sent through again (redrive {counted}); its run is RUNNING"
            raise RedriveRefused(f"request {request_id}: status is {status or 'not set'}, only a FAILED request is redriven")
        if run.get("redriveStatus") != "REDRIVABLE":
            raise RedriveRefused(
                f"request {request_id}: Step Functions will not redrive its run: {run.get('redriveStatusReason') or run['status']}"
            )
        attempt = counted + 1
        if not self.catalogue.start_redrive(item, attempt):
            raise RedriveRefused(f"request {request_id}: its catalogue entry changed while redriving; look again")
        try:
            self._redrive(run, attempt)
        except ClientError as exc:
            self.catalogue.undo_redrive(item, attempt)
            error = exc.response.get("Error", {})
            raise RedriveRefused(f"request {request_id}: Step Functions refused the redrive: "
                                 f"{error.get('Code')}: {error.get('Message')}") from None
        return f"request {request_id}: sent through again (redrive {attempt}), from {item.get('failed_state')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers.redrive", description=__doc__.splitlines()[0])
    parser.add_argument("request_ids", nargs="+", metavar="REQUEST_ID")
    args = parser.parse_args(argv)
    sfn = aws.client("stepfunctions")
    redriver = Redriver(Catalogue(aws.required_env("FILINGS_TABLE_NAME")), sfn, runs.state_machine_arn(sfn))
    refused = 0
    for request_id in args.request_ids:
        try:
            print(redriver.redrive(request_id))
        except RedriveRefused as exc:
            print(f"refused: {exc}", file=sys.stderr)
            refused += 1
    return 2 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
