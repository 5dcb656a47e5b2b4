"""A Distributed Map runs as AWS's guide describes it: readers, batches, tolerated failures, results.

moto 5.2.5 runs a Distributed Map's children but: reads only CSV and JSON objects (no JSON Lines,
no S3 inventory manifest, no ``MaxItems`` on an object listing); has no ``ItemBatcher``; counts a
failed child and goes on, so a Map with no tolerated failures succeeds with ``null`` results
(its ``ToleratedFailure*`` fields "have no effect"); and its ``ResultWriter`` writes a manifest
naming no result file; and its object listing items carry a datetime. Here, per the guide's pages "ItemReader", "ItemBatcher", "Tolerated
failure threshold" and "ResultWriter":

- an object listing's items are JSON (``LastModified`` as text: moto hands on a datetime, which
  no result can hold);
- ``InputType: JSONL`` reads one JSON value per non-empty line; ``MANIFEST`` reads an S3
  inventory manifest and the CSV files it lists (gzipped or not), one item per row, named by
  the manifest's ``fileSchema``; ``MaxItems`` caps any reader;
- ``ItemBatcher`` hands each child ``{"Items": [...], "BatchInput": ...}`` of at most
  ``MaxItemsPerBatch`` items and ``MaxInputBytesPerBatch`` bytes;
- more failed children than ``ToleratedFailureCount`` or ``ToleratedFailurePercentage`` allow
  fail the Map with ``States.ExceedToleratedFailureThreshold``; within them, a failed child's
  result is its ``{"Error", "Cause"}``;
- ``ResultWriter`` writes ``SUCCEEDED_0.json`` and ``FAILED_0.json`` beside ``manifest.json``.

What the grammar cannot carry reaches the parsed state through ``asl_extensions``.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from moto.stepfunctions.parser.api import HistoryEventType, MapRunFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import StatesErrorNameType
from moto.stepfunctions.parser.asl.component.state.exec.state_map.item_reader.item_reader_decl import ItemReader
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
    DistributedIterationComponent,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.itemprocessor.distributed_item_processor_worker import (  # noqa: E501
    DistributedItemProcessorWorker,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3 import (
    ResourceEvalS3,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.credentials import StateCredentials
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.eval.program_state import ProgramError
from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for
from moto.stepfunctions.parser.asl.utils.json_path import extract_json
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

from harness.engine.asl_extensions import MapExtensions
from harness.engine.jsonata_states import evaluate_in_state, states_of, variables_of

_JSONATA = re.compile(r"^\{%(.*)%\}$", re.S)


@dataclass
class FailedChild:
    """A child that failed within the tolerated threshold: its error, in place of a result."""

    error: str | None
    cause: str | None

    def result(self) -> dict[str, Any]:
        return {"Error": self.error, "Cause": self.cause}


class MapResults(list):  # type: ignore[type-arg]
    """A Map's results, with each child's input, for the ResultWriter."""

    inputs: list[Any]
    failed: list[int]


# ---- readers ---------------------------------------------------------------------------------

def jsonl_items(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _bucket_name(arn_or_name: str) -> str:
    return arn_or_name.split(":::", 1)[1] if arn_or_name.startswith("arn:") else arn_or_name


def manifest_items(text: str, s3: Any) -> list[dict[str, str]]:
    """Rows of the CSV files an S3 inventory manifest lists, named by its ``fileSchema``."""
    manifest = json.loads(text)
    if manifest.get("fileFormat", "CSV").upper() != "CSV":
        raise ValueError(f"S3 inventory files in {manifest.get('fileFormat')} are not read here, only CSV")
    columns = [c.strip() for c in manifest["fileSchema"].split(",")]
    bucket = _bucket_name(manifest["destinationBucket"])
    items: list[dict[str, str]] = []
    for entry in manifest.get("files", []):
        body = s3.get_object(Bucket=bucket, Key=entry["key"])["Body"].read()
        if entry["key"].endswith(".gz"):
            body = gzip.decompress(body)
        items += [dict(zip(columns, row)) for row in csv.reader(io.StringIO(body.decode("utf-8"))) if row]
    return items


def _s3_for(component: Any, env: Any) -> Any:
    component.resource_eval.resource.eval(env=env)
    runtime = env.stack.pop()
    return boto_client_for(region=runtime.region, service="s3",
                           state_credentials=StateCredentials(role_arn=env.aws_execution_details.role_arn))


def _json_safe(value: Any) -> Any:
    """An object listing's ``LastModified`` as the ISO 8601 text a state's input holds, not a datetime."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _read(original: Any, self: ItemReader, env: Any) -> None:
    ext: MapExtensions | None = getattr(self, "extensions", None)
    if ext is None or ext.input_type is None:
        original(self, env=env)
        items = _json_safe(env.stack.pop())
        env.stack.append(items[:ext.reader_max_items] if ext is not None and ext.reader_max_items else items)
        return
    self.reader_config.eval(env=env)
    max_items = env.stack.pop().get("MaxItemsValue")
    if self.parargs:
        self.parargs.eval(env=env)
    else:
        env.stack.append({})
    self.resource_eval.eval_resource(env=env)
    text = env.stack.pop()
    items = jsonl_items(text) if ext.input_type == "JSONL" else manifest_items(text, _s3_for(self, env))
    env.stack.append(items[:max_items] if max_items else items)


# ---- batches ---------------------------------------------------------------------------------

_VARIABLE_PATH = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$", re.S)


def _at_path(env: Any, path: str) -> Any:
    """A reference path's value: ``$$.`` the context object, ``$.`` the state's input, ``$name`` a variable."""
    if path.startswith("$$"):
        return extract_json("$" + path[2:], states_of(env)["context"])
    variable = _VARIABLE_PATH.match(path)
    if variable is None:
        return extract_json(path, env.states.get_input())
    value = variables_of(env)[variable.group(1)]
    return extract_json("$" + variable.group(2), value) if variable.group(2) else value


def _evaluated(env: Any, template: Any) -> Any:
    """A template as Parameters/Arguments are: ``{% %}`` expressions and ``"k.$"`` paths resolved."""
    if isinstance(template, str):
        m = _JSONATA.match(template)
        if m is None:
            return template
        bindings = variables_of(env)
        bindings["states"] = states_of(env)
        return evaluate_in_state(env, m.group(1), bindings)
    if isinstance(template, dict):
        return {(k[:-2] if k.endswith(".$") else k): (_at_path(env, v) if k.endswith(".$") else _evaluated(env, v))
                for k, v in template.items()}
    if isinstance(template, list):
        return [_evaluated(env, v) for v in template]
    return template


def _limit(env: Any, spec: dict[str, Any], name: str) -> int | None:
    """``MaxItemsPerBatch`` (a number, or a JSONata expression) or ``MaxItemsPerBatchPath``."""
    if name in spec:
        value = _evaluated(env, spec[name])
    elif f"{name}Path" in spec:
        value = _at_path(env, spec[f"{name}Path"])
    else:
        return None
    return int(value)  # a path may hold "2": AWS takes it as the number


def batches(items: list[Any], max_items: int | None, max_bytes: int | None,
            batch_input: Any = None) -> list[dict[str, Any]]:
    """Items grouped in order, each group within both limits, as each child's input."""
    out: list[list[Any]] = []
    for item in items:
        current = out[-1] if out else None
        fits = current is not None and (not max_items or len(current) < max_items) and (
            not max_bytes or len(json.dumps({"Items": [*current, item]})) <= max_bytes)
        if fits:
            current.append(item)  # type: ignore[union-attr]
        else:
            out.append([item])
    return [{"Items": b, **({"BatchInput": batch_input} if batch_input is not None else {})} for b in out]


# ---- tolerated failures ------------------------------------------------------------------------

def exceeds_threshold(failed: int, total: int, count: int | None, percentage: float | None) -> bool:
    """AWS fails the Map run once failures pass either threshold set; with neither, the first does."""
    if failed == 0:
        return False
    if not count and not percentage:
        return True
    over_count = bool(count) and failed > (count or 0)
    over_percentage = bool(percentage) and total > 0 and 100.0 * failed / total > (percentage or 0)
    return over_count or over_percentage


def _threshold_exceeded(env: Any) -> FailureEventException:
    error = StatesErrorName(typ=StatesErrorNameType.StatesExceedToleratedFailureThreshold)
    cause = "The specified tolerated failure threshold was exceeded"
    return FailureEventException(failure_event=FailureEvent(
        env=env, error_name=error, event_type=HistoryEventType.MapRunFailed,
        event_details=EventDetails(mapRunFailedEventDetails=MapRunFailedEventDetails(
            error=error.error_name, cause=cause))))


def _map_run(original: Any, self: DistributedIterationComponent, env: Any, eval_input: Any) -> None:
    ext: MapExtensions | None = getattr(self, "extensions", None)
    items = env.stack.pop()
    if ext is not None and ext.item_batcher is not None:
        spec = ext.item_batcher
        batch_input = _evaluated(env, spec["BatchInput"]) if "BatchInput" in spec else None
        items = batches(items, _limit(env, spec, "MaxItemsPerBatch"), _limit(env, spec, "MaxInputBytesPerBatch"),
                        batch_input)
    env.stack.append(items)
    original(self, env=env, eval_input=eval_input)
    outputs = env.stack.pop()
    failed = [i for i, o in enumerate(outputs) if isinstance(o, FailedChild)]
    if exceeds_threshold(len(failed), len(outputs), eval_input.tolerated_failure_count,
                         eval_input.tolerated_failure_percentage):
        raise _threshold_exceeded(env)
    results = MapResults(o.result() if isinstance(o, FailedChild) else o for o in outputs)
    results.inputs, results.failed = list(items), failed
    env.stack.append(results)


def _child(original: Any, self: DistributedItemProcessorWorker, env: Any, job: Any) -> None:
    original(self, env=env, job=job)
    state = env.program_state()
    if isinstance(state, ProgramError):
        error = state.error or {}
        job.job_output = FailedChild(error.get("error"), error.get("cause"))


# ---- results -----------------------------------------------------------------------------------

def _result_record(arn: str, index: int, item: Any, output: Any, status: str) -> dict[str, Any]:
    now = datetime.now(timezone.utc).isoformat()
    record = {"ExecutionArn": f"{arn}:{index}", "Input": to_json_str(item), "InputDetails": {"Included": True},
              "Name": str(index), "StartDate": now, "StopDate": now, "Status": status}
    if status == "SUCCEEDED":
        record.update({"Output": to_json_str(output), "OutputDetails": {"Included": True}})
    else:
        record.update({"Error": output.get("Error"), "Cause": output.get("Cause")})
    return record


def _write_results(env: Any, resource_runtime_part: Any, state_credentials: StateCredentials) -> None:
    parameters = env.stack.pop()
    results = env.stack.pop()
    s3 = boto_client_for(region=resource_runtime_part.region, service="s3",
                         state_credentials=state_credentials)
    record = env.map_run_record_pool_manager.get_all()[-1]
    prefix = parameters.get("Prefix", "")
    prefix = prefix if prefix == "" or prefix.endswith("/") else prefix + "/"
    base = prefix + record.map_run_arn.split(":")[-1] + "/"
    inputs = getattr(results, "inputs", [None] * len(results))
    failed = set(getattr(results, "failed", []))
    files: dict[str, list[dict[str, Any]]] = {"FAILED": [], "PENDING": [], "SUCCEEDED": []}
    for status in ("SUCCEEDED", "FAILED"):
        rows = [_result_record(record.map_run_arn, i, inputs[i], out, status) for i, out in enumerate(results)
                if (i in failed) == (status == "FAILED")]
        if rows:
            body = json.dumps(rows).encode()
            key = f"{base}{status}_0.json"
            s3.put_object(Bucket=parameters["Bucket"], Key=key, Body=body)
            files[status].append({"Key": key, "Size": len(body)})
    manifest = {"DestinationBucket": parameters["Bucket"], "MapRunArn": record.map_run_arn,
                "ResultFiles": files}
    s3.put_object(Bucket=parameters["Bucket"], Key=base + "manifest.json", Body=json.dumps(manifest).encode())
    env.stack.append({"MapRunArn": record.map_run_arn,
                      "ResultWriterDetails": {"Bucket": parameters["Bucket"], "Key": base + "manifest.json"}})


def _wrap(cls: type, name: str, replacement: Any) -> None:
    original = getattr(cls, name)
    if getattr(original, "__distributed_map__", False):
        return

    @functools.wraps(original)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return replacement(original, self, *args, **kwargs)

    method.__distributed_map__ = True  # type: ignore[attr-defined]
    setattr(cls, name, method)


def install() -> None:
    _wrap(ItemReader, "_eval_body", _read)
    _wrap(DistributedIterationComponent, "_map_run", _map_run)
    _wrap(DistributedItemProcessorWorker, "_eval_job", _child)
    ResourceEvalS3._handle_put_object = staticmethod(_write_results)  # type: ignore[method-assign]
