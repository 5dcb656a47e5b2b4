"""Steps for an operator who sends a failed request through again, and what it leaves."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from behave import then, when
from hamcrest import assert_that, contains_string, equal_to, has_entries, has_entry

from steps import sec_api_control
from steps.ledger import assert_work_done_once, count_request_ledger
from steps.phrases import state_of
from steps.pipeline_context import catalogue_item, current_execution, explain, request_execution_arn

OPERATOR_COMMAND_TIMEOUT = 60
TIMES = {"once": 1, "twice": 2}
# What the command exits with when it refused a request (workers/redrive.py).
REFUSED = 2


def run_operator_command(context: Any) -> subprocess.CompletedProcess[str]:
    """The command an operator would type, as a process of its own, against the same stack."""
    return subprocess.run(
        [sys.executable, "-m", "workers.redrive", context.request_id],
        env=context.stack.operator_env(), cwd=context.settings.project_dir,
        capture_output=True, text=True, timeout=OPERATOR_COMMAND_TIMEOUT,
    )


@when("the SEC API is back and an operator sends the request through again")
def step_operator_redrives(context):
    sec_api_control.answer_normally_for(context, context.requested["cik"])
    done = run_operator_command(context)
    assert_that(done.returncode, equal_to(0), f"the redrive command failed:\n{done.stdout}{done.stderr}")
    # The outcome steps wait for the run's end after this redrive.
    context.redrives = getattr(context, "redrives", 0) + 1


@when("an operator tries to send the request through again")
def step_operator_tries_redrive(context):
    sfn = context.stack.aws.stepfunctions
    context.before_redrive = (catalogue_item(context), sfn.describe_execution(executionArn=request_execution_arn(context)))
    context.operator_command = run_operator_command(context)


@then("the catalogue keeps the first failure, at {state_phrase}, and says the request was sent through again {times}")
def step_catalogue_keeps_failure(context, state_phrase, times):
    item = catalogue_item(context)
    assert_that(
        item,
        has_entries(redrives=TIMES[times], first_failure=has_entries(failed_state=state_of(state_phrase))),
        explain(context),
    )


@then("its one run of the pipeline was taken up again at {state_phrase}, each step was done once, "
      "and each archived file is there once")
def step_redriven_run_ledger(context, state_phrase):
    report = current_execution(context)
    ledger = count_request_ledger(context)
    assert_that(ledger.executions, equal_to(["SUCCEEDED"]), f"runs of the request\n{explain(context)}")
    assert_that(report.redrive_count, equal_to(1), f"the run's redriveCount\n{explain(context)}")
    first_failed = [visit.name for visit in report.path if visit.run == 0 and visit.failed_finally]
    assert_that(first_failed, equal_to([state_of(state_phrase)]), f"where the first attempt failed\n{explain(context)}")
    redriven = [visit.name for visit in report.path if visit.run == 1]
    assert_that(redriven[:1], equal_to([state_of(state_phrase)]), f"where the redrive took the run up\n{explain(context)}")
    assert_work_done_once(context, ledger)


@then("the operator is told the request has not failed, and its run is as it was")
def step_redrive_refused(context):
    done = context.operator_command
    item_before, run_before = context.before_redrive
    assert_that(done.returncode, equal_to(REFUSED), f"the command's exit status\n{done.stdout}{done.stderr}")
    assert_that(done.stderr, contains_string(f"request {context.request_id}: status is {item_before['status']}, "
                                             "only a FAILED request is redriven"))
    run_now = context.stack.aws.stepfunctions.describe_execution(executionArn=request_execution_arn(context))
    assert_that(run_now, has_entries(status=run_before["status"], redriveCount=run_before["redriveCount"]))
    assert_that(catalogue_item(context), equal_to(item_before), "the catalogue item")
    assert_that(run_now, has_entry("redriveCount", 0), "the run was never redriven")
