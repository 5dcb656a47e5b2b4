"""Start-up shared by the apps: logging, settings from the environment, the loop."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from workers import logs, settings
from workers.callback import Task, callback_handler
from workers.queue_loop import Handler, QueueConsumer


def parse_arguments(app_name: str, queue_variable: str, argv: list[str] | None = None) -> None:
    """An app takes no arguments, only its environment: ``--help`` says which; anything else is
    refused with status 2 before the app touches anything."""
    parser = argparse.ArgumentParser(
        prog=f"python -m workers.{app_name}",
        description=f"The {app_name} app: long-polls its queue and works on each message until stopped (SIGTERM).",
        epilog=f"Settings come from the environment: {queue_variable} (the queue to read, required), "
        "POLL_WAIT_SECONDS, HEARTBEAT_INTERVAL_SECONDS, LOG_LEVEL, AWS_ENDPOINT_URL and the AWS credentials.",
    )
    parser.parse_args(sys.argv[1:] if argv is None else argv)


def run(app_name: str, queue_variable: str, make_handler: Callable[[], Handler]) -> None:
    parse_arguments(app_name, queue_variable)
    # Fault settings name the app they arm (workers/faults.py); a container may not set this.
    os.environ.setdefault("APP_NAME", app_name)
    logs.configure(app_name)
    queue_name = os.environ.get(queue_variable)
    if not queue_name:
        raise SystemExit(f"{queue_variable} is not set: {app_name} does not know which queue to read")
    # AWS allows a long-poll of 0 to 20 seconds.
    wait = settings.whole_number("POLL_WAIT_SECONDS", 20, 0, 20)
    QueueConsumer(app_name, queue_name, make_handler(), wait_seconds=wait).run()


def run_callback_app(app_name: str, queue_variable: str, make_task: Callable[[], Task]) -> None:
    interval = settings.seconds("HEARTBEAT_INTERVAL_SECONDS", 5.0)
    run(app_name, queue_variable, lambda: callback_handler(make_task(), heartbeat_interval=interval))


__all__ = ["Handler", "Task", "run", "run_callback_app"]
