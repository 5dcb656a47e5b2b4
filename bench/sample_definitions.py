"""Published sample definitions: how many the project's emulator and plain moto accept.

``python bench/sample_definitions.py DIR`` reads every ``*.asl.json`` under DIR (e.g. a checkout
of AWS's public step-functions-workflows-collection), fills its ``${...}`` placeholders with
ARN-shaped values (as a deployment's substitutions would), calls CreateStateMachine with each on
``python -m harness.stacks.emulator`` and on a plain ``python -m moto.server``, and prints the accepted
counts side by side, then every refusal with its error code and message. ``--list FILE`` writes
the relative paths checked, one a line, with each engine's verdict.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.conformance import plain_moto, project_emulator  # noqa: E402

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/sample-definitions"
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_WHOLE_STRING = re.compile(r'"\$\{([^}]*)\}"')


def _fragment(name: str) -> str:
    """A value for a placeholder inside a longer string (``arn:${Partition}:states:::...``)."""
    low = name.lower()
    if "partition" in low:
        return "aws"
    if "region" in low:
        return REGION
    if "account" in low:
        return ACCOUNT
    return re.sub(r"[^A-Za-z0-9-]", "-", name) or "value"


def _arn(name: str) -> str:
    """A value for a placeholder that is a whole JSON string: an ARN, the commonest substitution."""
    low = name.lower()
    if "partition" in low or "region" in low or "account" in low:
        return _fragment(name)
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{_fragment(name)}"


def fill_placeholders(text: str) -> str:
    text = _WHOLE_STRING.sub(lambda m: json.dumps(_arn(m.group(1))), text)
    return _PLACEHOLDER.sub(lambda m: _fragment(m.group(1)), text)


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    code: str = ""
    message: str = ""


def create(sfn: Any, definition: str) -> Verdict:
    """CreateStateMachine with ``definition`` (deleted again if created): accepted, or the refusal."""
    name = f"sample-{uuid.uuid4().hex[:12]}"
    try:
        arn = sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE)["stateMachineArn"]
    except ClientError as ex:
        error = ex.response.get("Error", {})
        return Verdict(False, error.get("Code", ""), error.get("Message", ""))
    sfn.delete_state_machine(stateMachineArn=arn)
    return Verdict(True)


def client(endpoint: str) -> Any:
    return boto3.client("stepfunctions", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(retries={"max_attempts": 1}))


def run(endpoint: str, samples: dict[str, str]) -> dict[str, Verdict]:
    sfn = client(endpoint)
    return {path: create(sfn, text) for path, text in samples.items()}


def read_samples(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): fill_placeholders(p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.asl.json"))}


def report(samples: dict[str, str], ours: dict[str, Verdict], moto: dict[str, Verdict]) -> str:
    def count(results: dict[str, Verdict]) -> str:
        return f"{sum(v.accepted for v in results.values())}/{len(samples)}" if results else "-"

    lines = [f"{'definitions':<14}{'project emulator':>20}{'plain moto':>14}",
             f"{'accepted':<14}{count(ours):>20}{count(moto):>14}", ""]
    for engine, results in (("project emulator", ours), ("plain moto", moto)):
        refused = {p: v for p, v in results.items() if not v.accepted}
        if results:
            lines.append(f"refused by {engine} ({len(refused)}):")
        for path, verdict in refused.items():
            message = " ".join(verdict.message.split())  # moto's messages carry the whole definition
            lines.append(f"  {path}\n    {verdict.code or '(no code)'}: {message[:300]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", type=Path, help="searched recursively for *.asl.json")
    ap.add_argument("--only", choices=["project", "moto"], help="run one engine only")
    ap.add_argument("--list", type=Path, help="write the paths checked and each engine's verdict here")
    a = ap.parse_args(argv)
    if not a.directory.is_dir():
        ap.error(f"not a directory: {a.directory}")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    samples = read_samples(a.directory)
    if not samples:
        ap.error(f"no *.asl.json under {a.directory}")
    env = {k: v for k, v in os.environ.items() if k != "SFN_MOCK_CONFIG"}
    logs = Path(tempfile.mkdtemp(prefix="sample-definitions-"))
    ours: dict[str, Verdict] = {}
    moto: dict[str, Verdict] = {}
    if a.only != "moto":
        with project_emulator(env, logs) as endpoint:
            ours = run(endpoint, samples)
    if a.only != "project":
        with plain_moto(env, logs) as endpoint:
            moto = run(endpoint, samples)
    print(report(samples, ours, moto))
    if a.list:
        def mark(results: dict[str, Verdict], path: str) -> str:
            return "-" if not results else ("accepted" if results[path].accepted else "refused")

        rows = "".join(f"{p}\t{mark(ours, p)}\t{mark(moto, p)}\n" for p in samples)
        a.list.write_text(rows, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
