"""Steps that look for the SEC API key, right or wrong, everywhere it must not be."""

from __future__ import annotations

import itertools
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from behave import given, then, use_fixture, when
from hamcrest import assert_that, empty, equal_to, greater_than, is_, not_none

from harness.report.html import report_html
from harness.resources import secret_scan
from harness.waiting import wait_until
from steps.ledger import work_queue_depths
from steps.outcomes import assert_failed
from steps.pipeline_context import placeholder, request_latest, wait_until_processed
from steps.sec_api_control import wrong_api_key

log = logging.getLogger("secret_scan")
QUERY = {"query": 'cik:320193 AND formType:"10-K"', "from": "0", "size": "1"}
# How the SEC API answers a query, in the analysts' words -> its HTTP status.
ANSWERED = 200
REFUSALS = {"forbidden": 403, "unauthenticated": 401}


def _key(context) -> str:
    return context.stack.provisioned.secret_values["SecApiKeySecret"]


def _status_with_key(context, key: str | None) -> int:
    headers = {"Content-Type": "application/json", **({"Authorization": key} if key is not None else {})}
    endpoint = context.stack.service_endpoints["sec-api"]
    request = urllib.request.Request(endpoint, data=json.dumps(QUERY).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _reports_as_written(context) -> Iterator[tuple[str, str]]:
    """What the reports of this run will hold, as they would be written now.

    report.html, the Cucumber JSON and the JUnit XML are written at the end of a feature or of
    the run, after this step: the files on disk are an earlier run's. So the HTML report is
    rendered from this run's record, and what behave's formatters write (every step's text and
    error so far, and the output captured in this scenario) is read from behave's own model.
    """
    yield "report.html (this run, rendered now)", report_html(context.report.run_record(context))
    runner = context._runner
    for feature in runner.features:
        for scenario in feature.walk_scenarios():
            for step in scenario.all_steps:
                parts = [step.name, step.text or "", str(step.table or ""), str(step.error_message or "")]
                yield f"step {scenario.name!r}: {step.name}", "\n".join(parts)
    captured = runner.capture_controller.make_captured()
    yield "output captured in this scenario", "\n".join(filter(None, (captured.stdout, captured.stderr, captured.log)))


def outside_of(paths: list[Path], folder: Path) -> list[Path]:
    return [path for path in paths if not path.resolve().is_relative_to(folder.resolve())]


# The SEC API stand-in's own read paths (its README), asked of every endpoint with the emulator's.
STANDIN_PATHS = ("/_standin/health", "/_standin/faults", "/_standin/stats")


def exposed_endpoints(context) -> dict[str, str]:
    """Every endpoint the stack exposes: the AWS emulator (none on real AWS) and each service."""
    emulator = context.stack.aws.target.endpoint_url
    return {**({"aws-emulator": emulator} if emulator else {}), **context.stack.service_endpoints}


@given("an analyst's request for the latest {form_type} filing of CIK {cik} failed because the pipeline held a wrong SEC API key")
def step_request_failed_on_wrong_key(context, form_type, cik):
    use_fixture(wrong_api_key, context)
    request_latest(context, form_type, cik)
    wait_until_processed(context)
    assert_failed(context, "fetching the filing", "the SEC API refused the key")


@when("every log, report, archived file, catalogue item, set-aside message, run of the pipeline and endpoint of the stack is searched for the SEC API key")
def step_search_for_key(context):
    stack, aws = context.stack, context.stack.aws
    # Live queues are never received from (it would count toward dead-lettering their messages):
    # once they are empty, everything left is on a dead-letter queue, which is read whole.
    wait_until(
        lambda: not any(work_queue_depths(context).values()),
        timeout=context.settings.execution_timeout,
        awaited="every work queue to be empty before the dead-letter queues are read",
        describe_last=lambda: f"queue depths {work_queue_depths(context)}",
    )
    dead_letter_queues = [url for name, url in stack.provisioned.placeholders.items() if name.endswith("DeadLetterUrl")]
    context.searched = list(
        itertools.chain(
            secret_scan.file_texts(context.settings.reports_dir),
            # A log kept outside the run's folder: an emulator shared by the processes of a split run.
            secret_scan.files_texts(outside_of(context.stack.log_files(), context.settings.reports_dir)),
            _reports_as_written(context),
            secret_scan.object_texts(aws, placeholder(context, "FilingsBucketName")),
            secret_scan.item_texts(aws, placeholder(context, "FilingsTableName")),
            secret_scan.message_texts(aws, dead_letter_queues),
            secret_scan.execution_texts(aws, stack.provisioned.state_machine_arn),
            secret_scan.endpoint_texts(exposed_endpoints(context), secret_scan.EMULATOR_PATHS + STANDIN_PATHS),
        )
    )


@then("neither the right key nor the wrong one is found anywhere")
def step_neither_key_found(context):
    wrong = getattr(context, "wrong_key", None)
    assert_that(wrong, not_none(), "the scenario held no wrong key to look for")
    assert_that(len(context.searched), greater_than(0), "nothing was searched")
    for which, key in (("right", _key(context)), ("wrong", wrong)):
        read, holding = secret_scan.places_holding(key, iter(context.searched))
        log.info("searched %d places for the %s SEC API key; found it in %d", read, which, len(holding))
        assert_that(holding, is_(empty()), f"the {which} SEC API key leaked into {len(holding)} of {read} places")


@when("the SEC API is queried with the right key, with a wrong key and with no key")
def step_query_with_each_key(context):
    keys = {"the right": _key(context), "a wrong": "wrong-" + _key(context)[::-1], "no": None}
    context.key_answers = {which: _status_with_key(context, key) for which, key in keys.items()}


@then("it answers the query made with the right key")
def step_sec_api_answers(context):
    assert_that(context.key_answers["the right"], equal_to(ANSWERED), "the query made with the right key")


@then("it refuses the query made with {which} key, as {refusal}")
def step_sec_api_refuses(context, which, refusal):
    assert_that(context.key_answers[which], equal_to(REFUSALS[refusal]), f"the query made with {which} key")
