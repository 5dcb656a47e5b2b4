"""Published sample definitions: AWS deploys every one that is JSON, so the emulator creates them.

Point SAMPLE_DEFINITIONS_DIR at a checkout of AWS's step-functions-workflows-collection (the
definitions are fetched, not kept here; docs/sample_definitions.md lists what was checked).
Without it the test is skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bench.sample_definitions import create, read_samples


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def test_every_published_sample_that_is_json_is_created(sfn: Any) -> None:
    root = os.environ.get("SAMPLE_DEFINITIONS_DIR")
    if not root or not Path(root).is_dir():
        pytest.skip("SAMPLE_DEFINITIONS_DIR names no directory of *.asl.json")
    samples = read_samples(Path(root))
    verdicts = {path: create(sfn, text) for path, text in samples.items()}
    refused = {path: v for path, v in verdicts.items() if not v.accepted}
    assert [path for path in refused if _is_json(samples[path])] == []
    # What is refused (not JSON) is refused as AWS refuses it.
    for verdict in refused.values():
        assert verdict.code == "InvalidDefinition"
        assert verdict.message.startswith("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ")
