"""The AWS emulator server: moto, with executable Step Functions, on a loopback port.

Run as ``python -m harness.stacks.emulator [--host H] [--port P]``. Port 0 (the default) binds a free
port; the first line on stdout is ``READY <endpoint>`` once the server accepts requests, so the
parent learns the port without racing another process for it. The same launcher runs in the
compose stack's emulator container, so whatever the project adds to the engine holds on both.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import Any

from harness.stacks.parent_death import die_with_given_parent

READY_PREFIX = "READY "


def _enable_step_functions_execution() -> None:
    # moto only records executions unless told to run them; the config endpoint does the same.
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"]["execute_state_machine"] = True


def prepare_engine(program: str) -> bool:
    """Executions on and the engine installed, for the emulator and the proxy alike; returns
    whether the run opened the admin API. A setting the engine cannot use (SFN_TIME_SCALE=nan)
    ends the program with one line naming it, no traceback."""
    from harness import engine
    from harness.stacks import emulator_admin

    try:
        admin_open = emulator_admin.admin_api_open(os.environ.get(emulator_admin.SETTING))
        _enable_step_functions_execution()
        engine.install()
    except ValueError as exc:
        raise SystemExit(f"{program}: {exc}") from None
    return admin_open


def serve_until_stopped(server: Any, ready: str) -> None:
    """Announce ``READY <ready>`` and serve until SIGTERM or SIGINT, then close the socket."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"{READY_PREFIX}{ready}", flush=True)
    try:
        server.serve_forever()
    except SystemExit:  # SIGTERM or SIGINT: a stop asked for
        server.server_close()
        # Everything the server holds is in memory and goes with it: tearing down moto's objects
        # one by one took up to a second of every stack's stop, for nothing.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    die_with_given_parent()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)

    # Before moto is imported: its Step Functions interpreter would otherwise load Batch and EC2.
    from harness.stacks import lazy_moto_packages

    lazy_moto_packages.install()

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from harness.stacks import emulator_admin
    from harness.stacks.emulator_server import make_emulator_server
    from harness.stacks.emulator_waits import serving_waits

    admin_open = prepare_engine("emulator")
    app: Any = DomainDispatcherApplication(create_backend_app)
    if not admin_open:
        app = emulator_admin.guard(app)
    # The interpreter's own calls (a task's SendMessage ...) are answered by this same application.
    from harness.engine import in_process_calls

    in_process_calls.serve(app)
    # Tests wait for an execution on its event here instead of asking DescribeExecution in a loop.
    app = serving_waits(app)
    server = make_emulator_server(args.host, args.port, app)
    port = server.server_address[1]
    # The Step Functions interpreter calls SQS, DynamoDB, S3 ... at localhost:$MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)

    serve_until_stopped(server, f"http://{args.host}:{port}")


if __name__ == "__main__":
    sys.exit(main())
