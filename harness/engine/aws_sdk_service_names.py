"""An ``aws-sdk:`` task's service name, as AWS spells it, resolved to the botocore service it calls.

AWS ("Learning to use AWS service SDK integrations in Step Functions"): the Resource
``arn:aws:states:::aws-sdk:serviceName:apiAction`` names the service as the AWS SDK for Java 2.x
names its client package: the service's id in lower case, without spaces or hyphens, and without
a trailing "Service" (AWS's own example is ``aws-sdk:acmpca:deleteCertificateAuthority`` for
ACM PCA). Most are botocore's names too (``s3``, ``dynamodb``, ``sqs``, ``ecs``); where botocore
names a service otherwise, moto looked the name up as given and every such task failed with
States.Runtime "Unknown service: 'eventbridge'": EventBridge (botocore ``events``), CloudWatch
Logs (``logs``), ACM PCA (``acm-pca``), Elastic Load Balancing v2 (``elbv2``), Database Migration
Service (``dms``), Cognito Identity Provider (``cognito-idp``) and the like.

A name botocore knows is used as it is; any other is looked up among botocore's services by
their ids, read once, on the first name that needs it.
"""

from __future__ import annotations

import functools
import gzip
import os
import re
import threading
from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)

from harness.engine.model_loader import shared_loader

# Step Functions' own name for itself; botocore's is stepfunctions (its service id is "SFN").
OVERRIDES = {"sfn": "stepfunctions", "states": "stepfunctions"}
_SERVICE_ID = re.compile(rb'"serviceId"\s*:\s*"([^"]+)"')
# A model's metadata, where its serviceId is, opens the file: no need to read the whole model.
_HEAD_BYTES = 8192


def sdk_name(service_id: str) -> str:
    """A service id as the Java SDK names its client package: "CloudWatch Logs" -> cloudwatchlogs."""
    name = re.sub(r"[\s_-]", "", service_id).lower()
    return name[: -len("service")] if name.endswith("service") and name != "service" else name


def _service_id(loader: Any, service: str) -> str | None:
    version = loader.determine_latest_version(service, "service-2")
    for base in loader.search_paths:
        path = os.path.join(base, service, version, "service-2.json")
        for candidate, opener in ((path + ".gz", gzip.open), (path, open)):
            if os.path.exists(candidate):
                with opener(candidate, "rb") as model:
                    found = _SERVICE_ID.search(model.read(_HEAD_BYTES))
                return found.group(1).decode() if found else None
    return None


_INDEX_LOCK = threading.Lock()
_index: dict[str, str] | None = None


def _by_sdk_name() -> dict[str, str]:
    # About 450 model heads read (0.1-1 s), once, by the first task that names a service botocore
    # does not; tasks that come meanwhile wait for it rather than read them again.
    global _index
    with _INDEX_LOCK:
        if _index is None:
            _index = _read_sdk_names()
        return _index


def _read_sdk_names() -> dict[str, str]:
    loader = shared_loader()
    names: dict[str, str] = {}
    for service in sorted(loader.list_available_services("service-2")):
        service_id = _service_id(loader, service)
        if service_id:
            names.setdefault(sdk_name(service_id), service)
    return names


@functools.lru_cache(maxsize=None)
def _botocore_services() -> frozenset[str]:
    return frozenset(shared_loader().list_available_services("service-2"))


@functools.lru_cache(maxsize=None)
def botocore_name(name: str) -> str:
    """The botocore service an aws-sdk task's service name calls; a name nothing matches is kept
    (the call then fails as moto says, naming it)."""
    if name in OVERRIDES:
        return OVERRIDES[name]
    if name in _botocore_services():
        return name
    return _by_sdk_name().get(name.lower(), name)


def _get_boto_service_name(self: StateTaskServiceAwsSdk, boto_service_name: str | None = None) -> str:
    return botocore_name(boto_service_name or self.resource.api_name)


_get_boto_service_name.__sdk_names__ = True  # type: ignore[attr-defined]


def install() -> None:
    if getattr(StateTaskServiceAwsSdk.__dict__.get("_get_boto_service_name"), "__sdk_names__", False):
        return
    StateTaskServiceAwsSdk._get_boto_service_name = _get_boto_service_name  # type: ignore[method-assign]
