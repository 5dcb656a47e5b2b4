"""Steps that look for the SEC API key everywhere it must not be."""

from __future__ import annotations

import itertools
import logging
import json
import urllib.error
import urllib.request

from behave import then
from hamcrest import assert_that, empty, equal_to, greater_than, is_

from harness.resources import secret_scan
from steps.pipeline_context import placeholder

log = logging.getLogger("secret_scan")
QUERY = {"query": 'cik:320193 AND formType:"10-K"', "from": "0", "size": "1"}


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


@then("the SEC API key appears in no log, report, archived object, catalogue item, message or execution")
def step_key_nowhere(context):
    stack, aws = context.stack, context.stack.aws
    queues = [url for name, url in stack.provisioned.placeholders.items() if name.endswith(("QueueUrl", "DeadLetterUrl"))]
    texts = itertools.chain(
        secret_scan.file_texts(context.settings.reports_dir),
        secret_scan.object_texts(aws, placeholder(context, "FilingsBucketName")),
        secret_scan.item_texts(aws, placeholder(context, "FilingsTableName")),
        secret_scan.message_texts(aws, queues),
        secret_scan.execution_texts(aws, stack.provisioned.state_machine_arn),
    )
    read, holding = secret_scan.places_holding(_key(context), texts)
    log.info("scanned %d places for the SEC API key; found it in %d", read, len(holding))
    assert_that(read, greater_than(0), "nothing was scanned")
    assert_that(holding, is_(empty()), f"the SEC API key leaked into {len(holding)} of {read} places")


@then("the SEC API answers {status:d} to a query with {which} key")
def step_standin_key_check(context, status, which):
    key = {"the right": _key(context), "a wrong": "wrong-" + _key(context)[::-1], "no": None}[which]
    assert_that(_status_with_key(context, key), equal_to(status), f"a query with {which} key")
