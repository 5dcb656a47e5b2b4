"""Steps for the safeguards the everyday requests never test (features/safeguards.feature):
several filings at once, another company's filing, a slow SEC API, an app that wakes up late."""

from __future__ import annotations

import json
from pathlib import Path

from behave import fixture, given, then, use_fixture, when
from hamcrest import assert_that, contains_string, equal_to, greater_than, has_entries, not_none

from harness.stacks.launch import scaled_timings
from harness.waiting import wait_until
from steps.pipeline_context import (
    APP_OF_STATE,
    catalogue_item,
    explain,
    new_request_id,
    placeholder,
    recorded_failure,
    send_request,
    wait_until_processed,
)
from steps.sec_api_control import slow_answers, slow_sec_api
from workers.archive import canonical_json, sha256
from workers.sec_client import MAX_RETRIES

FIXTURES = Path(__file__).resolve().parent.parent / "sec_api_standin" / "fixtures"
# How much longer than the heartbeat timeout a slow fetch lasts: clearly longer, so that neither
# the app's own work nor the clocks of the history decide whether it outlasted it.
OUTLAST = 1.5


def _visit(context, state):
    visit = next((v for v in context.execution.path if v.name == state), None)
    assert_that(visit, not_none(), f"the execution never reached {state}\n{explain(context)}")
    return visit


def _heartbeat_timeout(context, state):
    """How long a task of ``state`` may stay silent in this run: its HeartbeatSeconds, as the
    deployed definition says, scaled as the stack's Step Functions scales it."""
    sfn = context.stack.aws.stepfunctions
    machine = sfn.describe_state_machine(stateMachineArn=context.stack.provisioned.state_machine_arn)
    return context.settings.scaled(json.loads(machine["definition"])["States"][state]["HeartbeatSeconds"])


@given("an analyst requests the latest {count:d} {form_type} filings of CIK {cik}")
def step_request_several(context, count, form_type, cik):
    context.request_id = new_request_id()
    context.requested = {"request_id": context.request_id, "cik": cik, "form_type": form_type, "count": count}
    send_request(context, context.requested)


@then("the filings {first} and {second} are each archived and catalogued")
def step_each_filing_archived(context, first, second):
    entries = {entry["accession_no"]: entry for entry in catalogue_item(context).get("filings", [])}
    assert_that(sorted(entries), equal_to(sorted([first, second])), explain(context))
    s3, bucket = context.stack.aws.s3, placeholder(context, "FilingsBucketName")
    for accession_no, entry in entries.items():
        body = s3.get_object(Bucket=bucket, Key=entry["s3_key"])["Body"].read()
        assert_that(json.loads(body)["accessionNo"], equal_to(accession_no))
        assert_that(sha256(body), equal_to(entry["sha256"]), f"{entry['s3_key']} differs from its catalogue entry")


@fixture
def validator_held_back(context):
    context.stack.stop_app("validator")
    yield
    context.stack.start_app("validator")


@given("Apple's latest 10-K filing was fetched for an analyst and waits for validation")
def step_fetched_not_validated(context):
    use_fixture(validator_held_back, context)
    step_request_several(context, 1, "10-K", "320193")
    context.fetched_item = wait_until(
        lambda: (item := catalogue_item(context)) and item.get("status") == "FETCHED" and item,
        timeout=context.settings.execution_timeout,
        awaited=f"request {context.request_id} to be fetched",
    )


@when("a filing of Tesla takes its place in both the archive and the catalogue")
def step_other_company_filing(context):
    # As a fetch that asked for the wrong company would leave it: archive and catalogue agree.
    tesla = json.loads((FIXTURES / "tesla.json").read_text(encoding="utf-8"))["filings"][0]
    entry = context.fetched_item["filings"][0]
    body = canonical_json(tesla)
    context.stack.aws.s3.put_object(Bucket=placeholder(context, "FilingsBucketName"), Key=entry["s3_key"], Body=body)
    context.stack.aws.dynamodb.update_item(
        TableName=placeholder(context, "FilingsTableName"),
        Key={"request_id": {"S": context.request_id}},
        UpdateExpression="SET filings[0].sha256 = :sha",
        ExpressionAttributeValues={":sha": {"S": sha256(body)}},
    )
    context.stack.start_app("validator")
    wait_until_processed(context)


@then("the request fails validation because the archived filing belongs to another company")
def step_fails_for_other_company(context):
    assert_that(context.execution.status, equal_to("FAILED"), explain(context))
    error, cause = _visit(context, "Validate").failures[-1]
    assert_that(error, equal_to("Validation.Mismatch"), explain(context))
    assert_that(cause, contains_string("belongs to CIK 1318605, not to the requested CIK 320193"))


@given("the SEC API is busy and slow: an answer about CIK {cik} takes longer than the heartbeat timeout")
def step_busy_slow_sec_api(context, cik):
    # Busy (503 with Retry-After) and slow (answers held) within what the utilities app's SEC
    # client allows, so that its first attempt still answers: per attempt its timeout, as the
    # app is given it, and no more retries than it makes.
    app = APP_OF_STATE["FetchFiling"]
    timings = scaled_timings(context.settings, context.stack.pipeline, context.stack.pipeline.app(app))
    lasting = OUTLAST * _heartbeat_timeout(context, "FetchFiling")
    answers = slow_answers(lasting, float(timings["SEC_API_TIMEOUT_SECONDS"]), MAX_RETRIES)
    use_fixture(slow_sec_api, context, cik, answers)


@then("the filing was fetched at the first attempt, which took longer than the heartbeat timeout")
def step_fetched_first_attempt_outlasting_heartbeat(context):
    visit = _visit(context, "FetchFiling")
    assert_that((visit.attempts, visit.failures), equal_to((1, [])), explain(context))
    # The scenario's premise, checked rather than assumed: a fetch within the heartbeat timeout
    # completes at its first attempt whether or not the app sends heartbeats.
    took, heartbeat_timeout = visit.task_seconds[0], _heartbeat_timeout(context, "FetchFiling")
    assert_that(
        took, greater_than(heartbeat_timeout),
        f"the fetch took {took:.2f} s, within the heartbeat timeout of {heartbeat_timeout:g} s\n"
        + explain(context),
    )


@fixture
def frozen_app(context, app):
    context.stack.restart_app(app, {"FAULT_HANG": app})
    yield
    context.stack.kill_app(app)  # SIGKILL ends a frozen process too
    context.stack.restart_app(app)


@given("the {app} app freezes on its next task")
def step_app_freezes(context, app):
    use_fixture(frozen_app, context, app)


@when("the request has failed because the {app} app stopped answering")
def step_failed_while_frozen(context, app):
    wait_until_processed(context)
    assert_that(context.execution.status, equal_to("FAILED"), explain(context))
    recorded_failure(context)


@when("the frozen {app} app wakes up and finishes its task")
def step_frozen_app_wakes(context, app):
    context.stack.resume_app(app)
    # Its late answer is refused: the execution no longer waits for that task.
    wait_until(
        lambda: "the execution no longer waits for this task" in context.stack.app_output(app),
        timeout=context.settings.execution_timeout,
        awaited=f"the {app} app to finish the task it froze on",
    )


@then("the catalogue still records the request as failed")
def step_still_failed(context):
    assert_that(catalogue_item(context), has_entries(status="FAILED"), explain(context))
