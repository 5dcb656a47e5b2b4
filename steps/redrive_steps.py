"""Steps for an operator who sends a failed request through again, and what it leaves."""

from __future__ import annotations

import subprocess
import sys

from behave import then, when
from hamcrest import assert_that, equal_to, has_entries

from steps import sec_api_control
from steps.ledger import count_request_ledger
from steps.phrases import state_of
from steps.pipeline_context import catalogue_item, explain
from workers.execution_names import execution_name

OPERATOR_COMMAND_TIMEOUT = 60
TIMES = {"once": 1, "twice": 2}


@when("the SEC API is back and an operator sends the request through again")
def step_operator_redrives(context):
    sec_api_control.answer_normally_for(context, context.requested["cik"])
    # The command an operator would type, as a process of its own, against the same stack.
    done = subprocess.run(
        [sys.executable, "-m", "workers.redrive", context.request_id],
        env=context.stack.operator_env(), cwd=context.settings.project_dir,
        capture_output=True, text=True, timeout=OPERATOR_COMMAND_TIMEOUT,
    )
    assert_that(done.returncode, equal_to(0), f"the redrive command failed:\n{done.stdout}{done.stderr}")
    context.redrives = getattr(context, "redrives", 0) + 1
    # The outcome steps wait for this execution now.
    context.execution_name = execution_name(context.request_id, context.redrives)


@then("the catalogue keeps the first failure, at {state_phrase}, and says the request was sent through again {times}")
def step_catalogue_keeps_failure(context, state_phrase, times):
    item = catalogue_item(context)
    assert_that(
        item,
        has_entries(redrives=TIMES[times], last_failure=has_entries(failed_state=state_of(state_phrase))),
        explain(context),
    )


@then("the first run failed, the second succeeded, and each archived file is there once")
def step_redrive_ledger(context):
    ledger = count_request_ledger(context)
    assert_that(ledger.executions, equal_to(["FAILED", "SUCCEEDED"]), f"executions of the request\n{explain(context)}")
    assert_that(ledger.items, equal_to(1), "catalogue items")
    assert_that(ledger.listed, equal_to(sorted(set(ledger.listed))), "filings listed more than once")
    assert_that(ledger.found, equal_to(ledger.expected), "archived objects")
    assert_that(ledger.contents, equal_to({key: 1 for key in ledger.found}), "different contents written per object")
