"""Whether a server answers HTTP at all, and waiting until it does.

Any status will do (a 404 or 403 from a path the server does not define or guards still proves
it serves); only a refused or dropped connection, or no answer in time, means it is not up.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from harness.waiting import wait_until

# Between two tries: a server that has just started answers within a few of these.
INTERVAL_SECONDS = 0.05


def answers(url: str, timeout: float = 1.0) -> bool:
    try:
        urllib.request.urlopen(url, timeout=timeout).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def wait_answering(url: str, *, timeout: float, awaited: str) -> None:
    """Return once ``url`` answers; raise ``DeadlineExceeded``, naming ``awaited``, if not in time."""
    wait_until(lambda: answers(url), timeout=timeout, awaited=f"{awaited} to answer at {url}", interval=INTERVAL_SECONDS)
