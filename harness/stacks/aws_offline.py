"""The aws stack's suite with no AWS account: ``python -m harness offline-aws [behave options]``.

Starts moto's proxy (``harness.stacks.aws_proxy``) and runs ``behave -D stack=aws`` with the environment that
sends every AWS call of behave and of the apps to the real AWS host names through it: no process
is given an endpoint URL, so the run proves the aws stack needs none. Afterwards it lists what
is left whose name starts with the run's ``RESOURCE_PREFIX``; anything left fails the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import boto3
from behave.configuration import Configuration

from harness.settings import load_settings, userdata_from_behave_args
from harness.stacks.aws_proxy_process import MOTO_ACCOUNT, running_proxy


def left_with_prefix(prefix: str) -> list[str]:
    """Every resource of every kind the aws stack makes whose name starts with the prefix."""
    left = list(boto3.client("sqs").list_queues(QueueNamePrefix=prefix).get("QueueUrls", []))
    left += [t for t in boto3.client("dynamodb").list_tables()["TableNames"] if t.startswith(prefix)]
    left += [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"] if b["Name"].startswith(prefix)]
    left += [s["Name"] for s in boto3.client("secretsmanager").list_secrets()["SecretList"] if s["Name"].startswith(prefix)]
    left += [m["name"] for m in boto3.client("stepfunctions").list_state_machines()["stateMachines"] if m["name"].startswith(prefix)]
    left += [r["RoleName"] for r in boto3.client("iam").list_roles()["Roles"] if r["RoleName"].startswith(prefix)]
    left += [r["Name"] for r in boto3.client("events").list_rules(NamePrefix=prefix).get("Rules", [])]
    return left


def proxied(environ: dict[str, str], route: dict[str, str]) -> dict[str, str]:
    """The environment with every endpoint override removed and the proxy's routing added."""
    env = {k: v for k, v in environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env.update(route)
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    env.update({"AWS_STACK_CONFIRM": "yes", "AWS_ACCOUNT_ALLOWLIST": MOTO_ACCOUNT})
    return env


USAGE = "usage: python -m harness offline-aws [behave options]"


def run(project_dir: Path, behave_args: list[str]) -> int:
    # Bad behave options stop here, with behave's own error and status 2, before anything starts.
    Configuration(behave_args)
    settings = load_settings(project_dir, userdata_from_behave_args(behave_args))
    # Beside the run's reports, not in its logs/ folder: behave clears that folder as it starts.
    log_path = settings.reports_dir / "aws-proxy.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)  # this run's proxy log only
    with running_proxy(log_path) as route:
        env = proxied(dict(os.environ), route)
        code = subprocess.run(
            [sys.executable, "-m", "behave", "-D", "stack=aws", *behave_args], cwd=project_dir, env=env
        ).returncode
        os.environ.clear()
        os.environ.update(env)  # this process's own look goes through the proxy too
        left = left_with_prefix(settings.resource_prefix)
    # The report's path stays the last line, after what this check adds.
    report = f"HTML report: {settings.reports_dir / 'report.html'}"
    if left:
        print(f"left behind under {settings.resource_prefix!r}: {', '.join(left)}\n{report}", file=sys.stderr)
        return 1
    print(f"nothing left behind under {settings.resource_prefix!r}\n{report}")
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "-h" in argv or "--help" in argv:
        print(f"{USAGE}\n\n{__doc__.strip()}\n\nbehave's options: see `behave --help`.")
        return 0
    return run(Path.cwd(), argv)


if __name__ == "__main__":
    sys.exit(main())
