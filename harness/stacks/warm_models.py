"""botocore's data loader filled ahead, in the app zygote, and handed to each forked app's session.

An app's first boto3 client reads and parses its service's model, endpoint rules, partitions and
defaults (tens of milliseconds of CPU for SQS or S3, in each app). The zygote
(harness/stacks/zygote.py) fills one ``Loader`` once, by making clients on a private session of
its own, for an address nothing listens on, with made-up credentials: no request is sent and
neither the default session nor any credential or setting of an app is read. Each forked app,
once its own environment is in place, starts its default session as its first
``boto3.client()`` would, but on that loader (botocore's ``data_loader`` component), so its
clients are made from models already parsed. Only the loader is shared: the session, its
configuration and credentials are the app's own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

_NOWHERE = "http://127.0.0.1:9"  # never contacted: a client sends nothing until it is called
_WARM_REGION = "us-east-1"


def filled_loader(services: Iterable[str]) -> Any:
    """A botocore ``Loader`` holding what a client of each service reads when it is made."""
    import botocore.session
    from botocore.loaders import create_loader

    loader = create_loader()
    session = botocore.session.Session()
    session.register_component("data_loader", loader)
    for service in services:
        try:
            session.create_client(service, region_name=_WARM_REGION, endpoint_url=_NOWHERE,
                                  aws_access_key_id="warm", aws_secret_access_key="warm")
        except Exception as exc:  # noqa: BLE001 - only a head start: the app's own client reports the error
            log.debug("could not warm %s's model: %s", service, exc)
    return loader


def give_to_default_session(loader: Any) -> None:
    """Start boto3's default session now, in the app's environment, reading its models from
    ``loader``; where the app names its own data path (``AWS_DATA_PATH``), its own loader."""
    import boto3
    import botocore.session

    session = botocore.session.get_session()
    try:
        own_data_path = session.get_config_variable("data_path")
    except Exception as exc:  # noqa: BLE001 - a broken config file: the app meets the error itself
        log.debug("not sharing the warmed models: %s", exc)
        return
    if own_data_path is None:
        session.register_component("data_loader", loader)
        boto3.setup_default_session(botocore_session=session)
