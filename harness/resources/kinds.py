"""The resource kinds a declaration may hold, in the order they are created (deleted in reverse)."""

from __future__ import annotations

from harness.resources import buckets, queues, secrets, tables

# Each is a module following harness.resources.kind.ResourceKind.
KINDS = (queues, tables, buckets, secrets)
