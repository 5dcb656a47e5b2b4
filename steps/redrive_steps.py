"""Steps for an operator who sends a failed request through again, and what it leaves."""

from __future__ import annotations

import subprocess
import sys

from behave import then, when
from hamcrest import assert_that, equal_to, has_entries

from steps.exactly_once_steps import count_request_ledger
from steps.ledger import executions_named
from steps.pipeline_context import catalogue_item, explain
from steps.sec_api_steps import _standin
from workers.execution_names import execution_name

OPERATOR_COMMAND_TIMEOUT = 60


@when("the SEC API is back for CIK {cik}")
def step_sec_api_back(context, cik):
    _standin(context, "DELETE", f"/_standin/faults?cik={cik}")


@when("an operator redrives the request")
def step_operator_redrives(context):
    # The command an operator would type, as a process of its own, against the same stack.
    done = subprocess.run(
        [sys.executable, "-m", "workers.redrive", context.request_id],
        env=context.stack.operator_env(), cwd=context.settings.project_dir,
        capture_output=True, text=True, timeout=OPERATOR_COMMAND_TIMEOUT,
    )
    assert_that(done.returncode, equal_to(0), f"the redrive command failed:\n{done.stdout}{done.stderr}")
    context.redrives = getattr(context, "redrives", 0) + 1
    context.execution_name = execution_name(context.request_id, context.redrives)


@then("the catalogue keeps the first failure, at {state}, and counts {count:d} redrive")
def step_catalogue_keeps_failure(context, state, count):
    item = catalogue_item(context)
    assert_that(item, has_entries(redrives=count, last_failure=has_entries(failed_state=state)), explain(context))


@then("the first execution failed, the redrive succeeded, and each archived object is there once")
def step_redrive_ledger(context):
    first = executions_named(context, context.request_id)
    redriven = executions_named(context, context.execution_name)
    assert_that([e["status"] for e in first], equal_to(["FAILED"]), "the first execution")
    assert_that([e["status"] for e in redriven], equal_to(["SUCCEEDED"]), "the redriven execution")
    ledger = count_request_ledger(context)
    assert_that(ledger.items, equal_to(1), "catalogue items")
    assert_that(ledger.found, equal_to(ledger.expected), "archived objects")
