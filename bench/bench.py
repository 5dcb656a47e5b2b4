"""Prints each stack's figures (start-up, latency, burst drain, bare ratio), and each against the embedded stack.

    python bench/bench.py [--runs 20] [--burst 50] [--stacks embedded,compose]

Figures, not verdicts: nothing here passes or fails on time. "bare" is the same number of
executions of a three-task callback machine answered straight from this script with boto3,
without the apps' DynamoDB, S3, Secrets Manager and SEC API work: the floor the emulator sets.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from harness.emulator_wait import ENDED, MAX_SECONDS, Condition, offered_wait, wait_on  # noqa: E402
from harness.statemachine.executions import execution_arn  # noqa: E402
from harness.settings import load_settings  # noqa: E402
from harness.stacks import open_stack  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def wait_all_ended(sfn: Any, arns: list[str], timeout: float) -> None:
    """Return once every execution has ended, each SUCCEEDED; else raise.

    On a stack that offers it, each wait blocks in the emulator until the execution ends
    (``harness/emulator_wait.py``) and returns when the emulator sees the end, within a fraction
    of a millisecond (a poll every 10 ms made figures in steps of 10 ms), and the waiting costs the engine being measured one request per
    execution, not a DescribeExecution every few milliseconds. Elsewhere it polls every 10 ms.
    """
    url = offered_wait(sfn)
    deadline = time.monotonic() + timeout
    for arn in arns:  # in the order they were started, about the order they end
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SystemExit(f"{arn} had not ended after {timeout:g} s")
            if url is not None:
                status = wait_on(url, Condition(min(left, MAX_SECONDS), arn, "ended"))["status"]
            else:
                status = described_status(sfn, arn)
                if status not in ENDED:
                    time.sleep(0.01)  # no event to wait on: the documented operations, polled
            if status in ENDED:
                break
        if status != "SUCCEEDED":
            raise SystemExit(f"{arn} ended {status}")


def described_status(sfn: Any, arn: str) -> str | None:
    try:
        return str(sfn.describe_execution(executionArn=arn)["status"])
    except sfn.exceptions.ExecutionDoesNotExist:
        return None


def parent_and_cpu(pid: int | str) -> tuple[int, float]:
    """A process's parent and the CPU (user + system seconds) it has used, from Linux's /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> tuple[float, float]:
    """CPU (user + system) used so far by this process, and by every process it started that is
    still running (the emulator, the helper services, the app zygote and its forked apps), from /proc."""
    children: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent, cpu = parent_and_cpu(entry.name)
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry.name))
        used[int(entry.name)] = cpu
    own = used.get(os.getpid(), 0.0)
    started, pending = 0.0, list(children.get(os.getpid(), []))
    while pending:
        pid = pending.pop()
        started += used.get(pid, 0.0)
        pending.extend(children.get(pid, []))
    return own, started


def pipeline_run(stack: Any, request_id: str) -> str:
    body = {"request_id": request_id, "cik": "320193", "form_type": "10-K"}
    stack.aws.sqs.send_message(QueueUrl=stack.provisioned.placeholders["RequestQueueUrl"], MessageBody=json.dumps(body))
    return execution_arn(stack.provisioned.state_machine_arn, request_id)


class BareCallbacks:
    """A three-task callback machine whose tasks this script answers itself."""

    def __init__(self, clients: Any, answerers: int = 1) -> None:
        self.sqs, self.sfn = clients.sqs, clients.stepfunctions
        self.queue = self.sqs.create_queue(QueueName=f"bench-{uuid.uuid4().hex[:8]}")["QueueUrl"]
        task = {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": self.queue, "MessageBody": {"taskToken.$": "$$.Task.Token", "input.$": "$"}},
        }
        states = {"A": {**task, "Next": "B"}, "B": {**task, "Next": "C"}, "C": {**task, "End": True}}
        self.machine = self.sfn.create_state_machine(
            name=f"bench-{uuid.uuid4().hex[:8]}",
            definition=json.dumps({"StartAt": "A", "States": states}),
            roleArn="arn:aws:iam::123456789012:role/bench",
        )["stateMachineArn"]
        self.stop = threading.Event()
        # Several answerers, as several app processes would be: the engine, not this script, is measured.
        self.threads = [threading.Thread(target=self._answer, daemon=True) for _ in range(answerers)]
        for thread in self.threads:
            thread.start()

    def _answer(self) -> None:
        while not self.stop.is_set():
            for message in self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
                "Messages", []
            ):
                token = json.loads(message["Body"])["taskToken"]
                self.sfn.send_task_success(taskToken=token, output="{}")
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])

    def run(self, name: str) -> str:
        return self.sfn.start_execution(stateMachineArn=self.machine, name=name, input="{}")["executionArn"]

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def latencies(start_one: Any, sfn: Any, runs: int, timeout: float) -> list[float]:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        arn = start_one(f"bench-{uuid.uuid4().hex[:12]}")
        wait_all_ended(sfn, [arn], timeout)
        samples.append(time.perf_counter() - began)
    return samples


def drain(start_one: Any, sfn: Any, count: int, timeout: float) -> float:
    began = time.perf_counter()
    arns = [start_one(f"burst-{uuid.uuid4().hex[:12]}") for _ in range(count)]
    wait_all_ended(sfn, arns, timeout)
    return time.perf_counter() - began


def measure(stack_name: str, runs: int, burst: int) -> dict[str, float]:
    """Start one stack, take every figure on it, stop it, print the figures; return the main ones."""
    settings = load_settings(
        PROJECT,
        # Real timings: at a scaled clock a backlog of queued tasks eats the shortened heartbeats.
        userdata={"stack": stack_name, "time_scale": "1", "reports_dir": str(PROJECT / "reports" / "bench" / stack_name)},
    )
    stack = open_stack(settings)
    own_before, _ = cpu_seconds()
    began = time.perf_counter()
    with stack:
        cold = time.perf_counter() - began
        own_at_ready, started_at_ready = cpu_seconds()
        sfn = stack.aws.stepfunctions
        pipeline_run(stack, f"warm-{uuid.uuid4().hex[:8]}")  # first call warms imports in the apps
        before = sum(cpu_seconds())
        piped = latencies(lambda name: pipeline_run(stack, name), sfn, runs, 60)
        piped_cpu = (sum(cpu_seconds()) - before) / runs
        piped_burst = drain(lambda name: pipeline_run(stack, name), sfn, burst, 300)
        bare = BareCallbacks(stack.aws)
        try:
            before = sum(cpu_seconds())
            bare_runs = latencies(bare.run, sfn, runs, 60)
            bare_cpu = (sum(cpu_seconds()) - before) / runs
            bare_burst = drain(bare.run, sfn, burst, 300)
        finally:
            bare.close()

    timings = getattr(stack, "timings", {})
    median, p95 = statistics.median(piped), percentile(piped, 0.95)
    bare_median = statistics.median(bare_runs)
    print(f"stack: {stack.name}")
    detail = ""
    if timings:
        detail = (f" (emulator ready {timings.get('emulator_ready_s', 0):.2f} s, "
                  f"provisioned {timings.get('provisioned_s', 0):.2f} s, apps ready {timings.get('ready_s', 0):.2f} s)")
    print(f"  cold start: {cold:.2f} s{detail}")
    if started_at_ready:  # /proc: Linux
        own = own_at_ready - own_before
        print(f"  CPU by then: {own + started_at_ready:.2f} s (this process {own:.2f} s, "
              f"the processes it started {started_at_ready:.2f} s)")
    print(f"  happy path, {runs} runs: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    print(f"  burst of {burst}: drained in {piped_burst:.2f} s ({burst / piped_burst:.1f} requests/s)")
    print(f"  bare boto3 three-task callback: median {bare_median * 1000:.1f} ms, "
          f"p95 {percentile(bare_runs, 0.95) * 1000:.1f} ms; burst of {burst} in {bare_burst:.2f} s")
    print(f"  ratio pipeline/bare: latency {median / bare_median:.2f}x, burst {piped_burst / bare_burst:.1f}x", flush=True)
    if started_at_ready and bare_cpu > 0:  # /proc: Linux, and the stack's processes are this one's (not containers)
        # The work each side costs: the apps' own calls and the emulator's answers to them, against
        # one call per task. Every process of the stack is counted, its idle long polls too, which
        # charge the slower side a little more.
        print(f"  CPU per run, every process (idle polls included): pipeline {piped_cpu * 1000:.1f} ms, "
              f"bare {bare_cpu * 1000:.1f} ms "
              f"({piped_cpu / bare_cpu:.2f}x)", flush=True)
    return {"cold": cold, "median": median, "burst": piped_burst}


def machine() -> str:
    """The cores and how busy the machine is: wall-clock figures mean little without it."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument(
        "--stacks", default="embedded",
        help="comma-separated: embedded,compose (compose needs Docker and the image: make images)",
    )
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    figures = {name.strip(): measure(name.strip(), args.runs, args.burst) for name in args.stacks.split(",")}
    print(f"machine after: {machine()}")
    base = figures.get("embedded")
    for name, taken in figures.items():
        if base is not None and name != "embedded":
            print(f"{name} against embedded: cold start {taken['cold'] / base['cold']:.1f}x, "
                  f"happy-path median {taken['median'] / base['median']:.2f}x, burst {taken['burst'] / base['burst']:.1f}x")


if __name__ == "__main__":
    main()
