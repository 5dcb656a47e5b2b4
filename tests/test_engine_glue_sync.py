"""glue:startJobRun.sync waits for the job run and answers it, as AWS's Glue integration does."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.engine_fixtures import ROLE, client, run


def test_a_glue_job_run_is_waited_for_and_answered(sfn: Any, endpoint: str) -> None:
    job = f"job-{uuid.uuid4().hex[:8]}"
    client(endpoint, "glue").create_job(Name=job, Role=ROLE,
                                        Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/job.py"})
    definition = {"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync",
        "Parameters": {"JobName": job}, "End": True}}}
    described = run(sfn, definition, {})
    assert described["status"] == "SUCCEEDED", described.get("cause")
    answer = json.loads(described["output"])
    assert answer["JobName"] == job and answer["JobRunState"] == "SUCCEEDED" and answer["Id"].startswith("jr_")
