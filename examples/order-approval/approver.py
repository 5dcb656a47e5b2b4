"""The approver: answers each approval task from the state machine, approving orders up to a limit.

An ordinary SQS callback app: it knows its queue's name and boto3's usual environment, nothing of
the harness; it stops after the message in hand on SIGTERM.
"""

import json
import os
import signal

import boto3

stopping = False
signal.signal(signal.SIGTERM, lambda *_: globals().update(stopping=True))


def decide(order: dict) -> dict:
    limit = float(os.environ["APPROVAL_LIMIT"])
    return {"approved": order["total"] <= limit, "limit": limit}


def main() -> None:
    sqs, sfn = boto3.client("sqs"), boto3.client("stepfunctions")
    queue = sqs.get_queue_url(QueueName=os.environ["APPROVAL_QUEUE_NAME"])["QueueUrl"]
    wait = int(os.environ.get("POLL_WAIT_SECONDS", "20"))
    while not stopping:
        for message in sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=wait).get("Messages", []):
            task = json.loads(message["Body"])
            sfn.send_task_success(taskToken=task["token"], output=json.dumps(decide(task["input"])))
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])


if __name__ == "__main__":
    main()
