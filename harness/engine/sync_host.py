"""The ``sync-`` host of TestState and StartSyncExecution reaches Step Functions through the proxy.

botocore sends TestState and StartSyncExecution to ``sync-states.<region>.amazonaws.com`` (the
model's host prefix). The aws stack's offline run sends clients to the real host names through
moto's proxy, which picks a service by host name and knew only ``states.<region>...``: those two
calls answered 404 "AWS Service not recognized or supported". Here the prefixed host is one more
name of Step Functions. (A local endpoint, ``http://127.0.0.1:PORT``, is another matter: there the
client must leave the prefix off; see docs/stepfunctions-api.md.)
"""

from __future__ import annotations

import re

from moto import backend_index

SYNC_HOST = ("stepfunctions", re.compile(r"https?://sync-states\.(.+)\.amazonaws\.com"))


def install() -> None:
    # The proxy and the server read this very list; adding to it in place reaches both.
    if SYNC_HOST not in backend_index.backend_url_patterns:
        backend_index.backend_url_patterns.append(SYNC_HOST)
