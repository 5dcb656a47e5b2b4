"""``python -m harness.stacks.aws_proxy`` as a managed process, and the environment that routes through it.

With that environment a process makes its AWS calls to the usual AWS host names, with no endpoint
override, and moto answers them: what the aws stack's tests need, for behave and every app alike.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.stacks.processes import ManagedProcess

# The account moto's STS reports, for AWS_ACCOUNT_ALLOWLIST.
MOTO_ACCOUNT = "123456789012"


def proxied_environment(proxy_url: str, ca_bundle: str) -> dict[str, str]:
    """Variables that send boto3 (and requests) through the proxy, trusting its CA."""
    return {
        "HTTPS_PROXY": proxy_url,
        "https_proxy": proxy_url,
        # Helper services and moto's own interpreter endpoint are local: never proxied.
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "AWS_CA_BUNDLE": ca_bundle,
        "REQUESTS_CA_BUNDLE": ca_bundle,
        # moto accepts any credentials; boto3's chain finds these first.
        "AWS_ACCESS_KEY_ID": "proxied-test",
        "AWS_SECRET_ACCESS_KEY": "proxied-test",
    }


@contextmanager
def running_proxy(log_path: Path, timeout: float = 20.0) -> Iterator[dict[str, str]]:
    """Start the proxy, yield the environment that routes through it, always stop it."""
    process = ManagedProcess("aws-proxy", [sys.executable, "-m", "harness.stacks.aws_proxy"], env=_inherited(), log_path=log_path)
    process.start()
    try:
        proxy_url, ca_bundle = process.wait_ready(timeout).split()
        yield proxied_environment(proxy_url, ca_bundle)
    finally:
        process.stop()


def _inherited() -> dict[str, str]:
    project = str(Path(__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (project, env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env
