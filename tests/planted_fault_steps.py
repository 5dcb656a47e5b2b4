"""Steps that plant, in a running stack, the faults the suite's checks must catch.

Only tests/test_steps_check_what_they_say.py loads these, beside the suite's own steps: each
makes true something a step's sentence denies (one more run of a request, the key in a log line,
an app that has stopped), so that step must fail.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

from behave import fixture, given, use_fixture, when

from harness.statemachine.executions import wait_for_end
from steps.pipeline_context import placeholder

from tests.http_fixtures import serving


@when("a second run of the pipeline is started for the request, under another name")
def step_plant_second_run(context):
    # As a dispatcher that named executions by anything but the request id would do.
    sfn = context.stack.aws.stepfunctions
    started = sfn.start_execution(
        stateMachineArn=context.stack.provisioned.state_machine_arn,
        name=f"{context.request_id}-again",
        input=json.dumps({**context.requested, "count": 1}),
    )
    wait_for_end(sfn, started["executionArn"], context.settings.execution_timeout)


@when("a run of the pipeline is started under the request's id")
def step_plant_run_for_refused_request(context):
    sfn = context.stack.aws.stepfunctions
    started = sfn.start_execution(
        stateMachineArn=context.stack.provisioned.state_machine_arn,
        name=context.request_id,
        input=json.dumps({"request_id": context.request_id, "cik": "320193", "form_type": "10-K"}),
    )
    wait_for_end(sfn, started["executionArn"], context.settings.execution_timeout)


@when("the wrong key is written in a line of the utilities app's log")
def step_plant_wrong_key_in_log(context):
    # As the app would write it: appended to its log file, which the run keeps with its reports.
    with (context.settings.reports_dir / "logs" / "utilities.log").open("a", encoding="utf-8") as app_log:
        app_log.write(f"using SEC API key {context.wrong_key}\n")


@when("the wrong key is printed in the scenario's output")
def step_plant_wrong_key_in_output(context):
    # Captured by behave for the JUnit and Cucumber reports, which are written after the scan.
    print(f"using SEC API key {context.wrong_key}")


@when("the right key is put in a message set aside for an operator")
def step_plant_key_in_dead_letter(context):
    key = context.stack.provisioned.secret_values["SecApiKeySecret"]
    context.stack.aws.sqs.send_message(
        QueueUrl=placeholder(context, "IngestQueueDeadLetterUrl"), MessageBody=json.dumps({"key": key})
    )


@when("the archived filing is written again, with other content")
def step_plant_second_write(context):
    # As a late or repeated task that fetched something else would leave it: same key, new bytes.
    s3, bucket = context.stack.aws.s3, placeholder(context, "FilingsBucketName")
    item = context.stack.aws.dynamodb.get_item(
        TableName=placeholder(context, "FilingsTableName"), Key={"request_id": {"S": context.request_id}}
    )["Item"]
    key = item["filings"]["L"][0]["M"]["s3_key"]["S"]
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    s3.put_object(Bucket=bucket, Key=key, Body=body + b" ")


@when("the archived request loses a field")
def step_plant_altered_request(context):
    # As an app that archived only the fields it uses would leave it.
    s3, bucket = context.stack.aws.s3, placeholder(context, "FilingsBucketName")
    key = f"requests/{context.request_id}/request.json"
    kept = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    kept.pop("count")
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(kept).encode())


@fixture
def stopped_app(context, app):
    context.stack.stop_app(app)
    yield
    context.stack.start_app(app)


@given("the {app} app has stopped")
@when("the {app} app stops")
def step_plant_stopped_app(context, app):
    use_fixture(stopped_app, context, app)


@when("the archived request is rewritten for another company")
def step_plant_rewritten_request(context):
    # As an ingest that archived before its conditional catalogue write would have left it.
    s3, bucket = context.stack.aws.s3, placeholder(context, "FilingsBucketName")
    key = f"requests/{context.request_id}/request.json"
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps({**context.requested, "cik": "1318605", "count": 1}).encode())


@fixture
def endpoint_serving(context, name, body):
    """A stack endpoint (an HTTP server on loopback) that answers every GET with ``body``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(Handler) as url:
        context.stack.service_endpoints[name] = url
        yield
        del context.stack.service_endpoints[name]


@when("an endpoint of the stack serves the right key")
def step_plant_key_at_endpoint(context):
    # As the emulator's /moto-api/data.json did, to anyone who asked.
    key = context.stack.provisioned.secret_values["SecApiKeySecret"]
    use_fixture(endpoint_serving, context, "planted", json.dumps({"SecretString": key}).encode())
