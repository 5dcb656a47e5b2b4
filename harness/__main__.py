"""Command line: ``python -m harness up`` keeps the embedded stack running for you.

    up         start the stack, print its endpoints and resources, wait for Ctrl-C
    provision  create the declared resources on the stack AWS_ENDPOINT_URL names (compose)
    check      check the pipeline declaration and the definition, start nothing
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from harness.aws_clients import AwsTarget, Clients
from harness.pipeline import DeclarationError, load_pipeline
from harness.resources.provisioning import preflight, provision
from harness.settings import SettingsError, load_settings
from harness.stacks import open_stack
from harness.statemachine.definition import DefinitionError

log = logging.getLogger("harness")


def _userdata(pairs: list[str]) -> dict[str, str]:
    userdata = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SettingsError(f"-D takes NAME=value, got {pair!r}")
        userdata[key] = value
    return userdata


def cmd_up(args: argparse.Namespace) -> int:
    settings = load_settings(args.project_dir, _userdata(args.define))
    stack = open_stack(settings)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    with stack:
        target = stack.aws.target
        print(f"{stack.name} stack ready", flush=True)
        print(f"  AWS endpoint:  {target.endpoint_url}   (region {target.region})")
        for name, endpoint in stack.service_endpoints.items():
            print(f"  {name}:  {endpoint}")
        print(f"  state machine: {stack.provisioned.state_machine_arn}")
        for key, value in sorted(stack.provisioned.app_env.items()):
            print(f"  {key}={value}")
        print(f"  logs: {settings.reports_dir / 'logs'}")
        print("Your own AWS CLI or SDK clients need:")
        for key, value in target.app_environment().items():
            if key.startswith("AWS_"):
                print(f"  export {key}={value}")
        print("Try: aws --endpoint-url", target.endpoint_url, "stepfunctions list-state-machines")
        print("Ctrl-C stops the stack.", flush=True)
        stopped.wait()
    print("stack stopped", flush=True)
    return 0


def cmd_provision(args: argparse.Namespace) -> int:
    settings = load_settings(args.project_dir, _userdata(args.define))
    endpoint = settings.get("AWS_ENDPOINT_URL")
    pipeline = load_pipeline(settings.pipeline_file)
    preflight(pipeline)
    provisioned = provision(Clients(AwsTarget(settings.region, endpoint)), settings, pipeline)
    print(f"provisioned {provisioned.state_machine_arn}", flush=True)
    if args.ready_file:
        # Stay up, healthy once this file exists: `docker compose up --exit-code-from acceptance`
        # stops the whole stack as soon as any container exits, a finished one-shot job included.
        args.ready_file.touch()
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        signal.signal(signal.SIGINT, lambda *_: stopped.set())
        stopped.wait()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    settings = load_settings(args.project_dir, _userdata(args.define))
    preflight(load_pipeline(settings.pipeline_file))
    print(f"{settings.pipeline_file.name} and its definition are valid")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "provision", "check"])
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    parser.add_argument("-D", "--define", action="append", default=[], metavar="NAME=value")
    parser.add_argument(
        "--ready-file", type=Path, help="provision: create this file when done, then wait for SIGTERM"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    commands = {"up": cmd_up, "provision": cmd_provision, "check": cmd_check}
    try:
        return commands[args.command](args)
    except (SettingsError, DeclarationError, DefinitionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
