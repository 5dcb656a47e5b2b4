"""The aws stack against moto's proxy: no endpoint URL anywhere, as on real AWS.

The harness and the apps reach the usual AWS host names through ``HTTPS_PROXY``; moto answers.
So these tests prove the stack needs no local endpoint, that the guard holds, and that teardown
deletes everything the run made, and nothing else.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from harness.stacks.aws_guard import GuardRefused
from harness.statemachine.iam_policy import iam_action
from harness.stacks.aws_offline import left_with_prefix
from harness.stacks.aws_proxy_process import MOTO_ACCOUNT, running_proxy
from harness.settings import load_settings
from harness.stacks import open_stack
from harness.waiting import wait_until

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if shutil.which("openssl") is None:
        pytest.skip("moto's proxy makes its certificates with openssl, which is not installed")
    with running_proxy(tmp_path_factory.mktemp("proxy") / "proxy.log") as env:
        saved = dict(os.environ)
        # boto3 in this process too: the test's own checks go through the proxy.
        os.environ.update(env)
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
            del os.environ[name]
        try:
            yield env
        finally:
            os.environ.clear()
            os.environ.update(saved)


def _settings(tmp_path: Path, prefix: str, **extra: str):  # type: ignore[no-untyped-def]
    values = {"stack": "aws", "reports_dir": str(tmp_path), "resource_prefix": prefix, **extra}
    return load_settings(PROJECT, userdata=values, environ=dict(os.environ))


def test_refuses_without_confirmation(tmp_path: Path) -> None:
    stack = open_stack(_settings(tmp_path, "guard", AWS_STACK_CONFIRM="", AWS_ACCOUNT_ALLOWLIST=MOTO_ACCOUNT))
    with pytest.raises(GuardRefused, match="AWS_STACK_CONFIRM=yes"):
        stack.start()


def test_refuses_an_account_not_allowed(proxied: dict[str, str], tmp_path: Path) -> None:
    prefix = f"guard-{uuid.uuid4().hex[:6]}"
    stack = open_stack(_settings(tmp_path, prefix, AWS_STACK_CONFIRM="yes", AWS_ACCOUNT_ALLOWLIST="111122223333"))
    with pytest.raises(GuardRefused, match=f"account {MOTO_ACCOUNT}"):
        stack.start()
    assert left_with_prefix(prefix) == []


def test_iam_actions_of_service_integrations() -> None:
    assert iam_action("arn:aws:states:::sqs:sendMessage.waitForTaskToken") == "sqs:SendMessage"
    assert iam_action("arn:aws:states:::dynamodb:updateItem") == "dynamodb:UpdateItem"
    assert iam_action("arn:aws:states:::aws-sdk:s3:getObject") == "s3:GetObject"
    assert iam_action("arn:aws:lambda:us-east-1:1:function:f") is None


def test_a_request_completes_with_no_endpoint_and_teardown_leaves_nothing(
    proxied: dict[str, str], tmp_path: Path
) -> None:
    base = f"t{uuid.uuid4().hex[:6]}"
    # A resource the run did not create, under the same base prefix: it must survive teardown.
    bystander = boto3.client("sqs").create_queue(QueueName=f"{base}-bystander")["QueueUrl"]
    stack = open_stack(_settings(tmp_path, base, AWS_STACK_CONFIRM="yes", AWS_ACCOUNT_ALLOWLIST=MOTO_ACCOUNT))
    with stack:
        prefix = stack.settings.resource_prefix
        assert prefix.startswith(f"{base}-") and prefix != base
        assert stack.aws.target.endpoint_url is None
        for app in stack.apps.values():
            assert not any(name.startswith("AWS_ENDPOINT_URL") for name in app.env)
        kinds = [made.kind for made in stack.provisioned.created]
        assert kinds[-3:] == ["role", "state_machine", "event_rule"]  # the rule names the machine's ARN
        role = stack.provisioned.created[-3]
        policy = boto3.client("iam").get_role_policy(RoleName=role.identifier, PolicyName="least-privilege")
        actions = {s["Action"] for s in policy["PolicyDocument"]["Statement"]}
        assert actions == {"sqs:SendMessage"}

        request_id = f"req-{uuid.uuid4().hex[:8]}"
        stack.aws.sqs.send_message(
            QueueUrl=stack.provisioned.placeholders["RequestQueueUrl"],
            MessageBody=json.dumps({"request_id": request_id, "cik": "320193", "form_type": "10-K"}),
        )
        sfn = stack.aws.stepfunctions
        arn = stack.provisioned.state_machine_arn.replace(":stateMachine:", ":execution:") + f":{request_id}"

        def finished() -> str | None:
            try:
                status = sfn.describe_execution(executionArn=arn)["status"]
            except sfn.exceptions.ExecutionDoesNotExist:
                return None
            return None if status == "RUNNING" else status

        status = wait_until(finished, timeout=60, awaited=f"execution {request_id} to finish", interval=0.2)
        assert status == "SUCCEEDED", stack.app_log_tail("dispatcher")
        journal = stack.journal
        assert journal.is_file()

    assert stack.leftovers == []
    assert left_with_prefix(prefix) == []
    assert not journal.exists()
    assert boto3.client("sqs").get_queue_url(QueueName=f"{base}-bystander")["QueueUrl"] == bystander
