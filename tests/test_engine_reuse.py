"""What the engine now makes once and reuses (parsed definitions and JSONPaths, SDK clients, the
service list, SQS's retention check) gives the same answers as making it each time."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from hamcrest import assert_that, contains_inanyorder, equal_to, has_item, is_, same_instance

from tests.engine_fixtures import ROLE, wait_until


def _finished(sfn: Any, arn: str) -> dict[str, Any]:
    return wait_until(lambda: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d)


def test_an_updated_definition_runs_as_updated(sfn: Any) -> None:
    def passing(result: str) -> str:
        return json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"v": result}, "End": True}}})

    machine = sfn.create_state_machine(name=f"upd-{uuid.uuid4().hex[:12]}", definition=passing("first"),
                                       roleArn=ROLE)["stateMachineArn"]
    first = _finished(sfn, sfn.start_execution(stateMachineArn=machine, name=uuid.uuid4().hex)["executionArn"])
    sfn.update_state_machine(stateMachineArn=machine, definition=passing("second"))
    second = _finished(sfn, sfn.start_execution(stateMachineArn=machine, name=uuid.uuid4().hex)["executionArn"])
    assert_that([json.loads(first["output"]), json.loads(second["output"])], equal_to([{"v": "first"}, {"v": "second"}]))


def test_executions_of_one_definition_keep_their_own_data(sfn: Any) -> None:
    definition = {"StartAt": "Pick", "States": {
        "Pick": {"Type": "Pass", "InputPath": "$.item", "ResultPath": "$.picked", "Next": "Show"},
        "Show": {"Type": "Pass", "Parameters": {"value.$": "$.picked.n"}, "End": True}}}
    machine = sfn.create_state_machine(name=f"own-{uuid.uuid4().hex[:12]}", definition=json.dumps(definition),
                                       roleArn=ROLE)["stateMachineArn"]
    arns = [sfn.start_execution(stateMachineArn=machine, name=f"n{n}", input=json.dumps({"item": {"n": n}}))["executionArn"]
            for n in range(6)]
    outputs = [json.loads(_finished(sfn, arn)["output"]) for arn in arns]
    assert_that(outputs, contains_inanyorder(*[{"value": n} for n in range(6)]))


def test_the_interpreter_reuses_one_client_per_region_and_service() -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service_sqs

    from harness.engine import sdk_client_reuse

    sdk_client_reuse.install()
    first = state_task_service_sqs.boto_client_for("us-east-1", "sqs")
    assert_that(state_task_service_sqs.boto_client_for("us-east-1", "sqs"), is_(same_instance(first)))
    assert_that(state_task_service_sqs.boto_client_for("eu-west-1", "sqs").meta.region_name, equal_to("eu-west-1"))


def test_the_service_list_is_moto_own() -> None:
    from harness.engine import backend_lookup

    assert_that(list(backend_lookup.list_of_moto_modules()), equal_to(list(backend_lookup._original())))


def test_a_message_older_than_its_queue_retention_is_not_delivered() -> None:
    from moto.sqs.models import sqs_backends

    from harness.engine import sqs_retention_check

    sqs_retention_check.install()
    backend = sqs_backends["123456789012"]["us-east-1"]
    name = f"retention-{uuid.uuid4().hex[:8]}"
    backend.create_queue(name, MessageRetentionPeriod="60")
    old = backend.send_message(name, "old")
    new = backend.send_message(name, "new")
    old.sent_timestamp = int((time.time() - 61) * 1000)
    assert_that([backend.is_message_valid_based_on_retention_period(name, m) for m in (old, new)],
                equal_to([False, True]))


def test_the_actions_of_a_response_class_are_moto_own_and_follow_an_added_one() -> None:
    from moto.core.utils import method_names_from_class as listed_each_time
    from moto.sqs.responses import SQSResponse

    from harness.engine import action_names

    class Answers(SQSResponse):
        pass

    assert_that(list(action_names.method_names_from_class(Answers)), equal_to(listed_each_time(Answers)))
    Answers.an_added_action = lambda self: None  # type: ignore[attr-defined]
    assert_that(action_names.method_names_from_class(Answers), has_item("an_added_action"))


def _queues_of_every_kind(backend: Any) -> list[Any]:
    tag = uuid.uuid4().hex[:8]
    dead_letters = backend.create_queue(f"attrs-dlq-{tag}")
    plain = backend.create_queue(f"attrs-plain-{tag}")
    backend.send_message(plain.name, "waiting")
    backend.send_message(plain.name, "delayed", delay_seconds=30)
    backend.receive_message(plain.name, 1, 0, 30)
    return [
        plain,
        backend.create_queue(f"attrs-fifo-{tag}.fifo", FifoQueue="true", ContentBasedDeduplication="true"),
        backend.create_queue(f"attrs-kms-{tag}", KmsMasterKeyId="alias/aws/sqs",
                             Policy=json.dumps({"Version": "2012-10-17", "Statement": []})),
        backend.create_queue(f"attrs-redrive-{tag}", RedrivePolicy=json.dumps(
            {"deadLetterTargetArn": dead_letters.queue_arn, "maxReceiveCount": 3})),
    ]


def test_queue_attributes_read_one_by_one_are_moto_own() -> None:
    from moto.sqs.models import sqs_backends

    from harness.engine import sqs_attribute_reads

    sqs_attribute_reads.install()
    backend = sqs_backends["123456789012"]["us-east-1"]
    for queue in _queues_of_every_kind(backend):
        built_at_once = sqs_attribute_reads._original_attributes.fget(queue)
        for name in sqs_attribute_reads.WHOLE_SECONDS:  # SQS's whole seconds, where moto kept a float
            assert_that(queue.attributes[name], equal_to(int(built_at_once[name])))
            built_at_once[name] = int(built_at_once[name])
        assert_that(list(queue.attributes.items()), equal_to(list(built_at_once.items())), queue.name)
        assert_that([queue.attributes.get(name) for name in built_at_once],
                    equal_to(list(built_at_once.values())), queue.name)
        assert_that(queue.attributes.get("NoSuchAttribute"), equal_to(None))
    plain = _queues_of_every_kind(backend)[0]
    assert_that((plain.attributes["ApproximateNumberOfMessages"], plain.attributes["ApproximateNumberOfMessagesDelayed"],
                 plain.attributes["ApproximateNumberOfMessagesNotVisible"]), equal_to((0, 1, 1)))


def test_sqs_clock_is_the_wall_clock_and_keeps_moto_answer_for_a_given_time() -> None:
    import datetime

    from harness.engine import sqs_attribute_reads

    before = time.time()
    now = sqs_attribute_reads.unix_time()
    assert_that(before <= now <= time.time(), equal_to(True))
    assert_that(abs(sqs_attribute_reads.unix_time_millis() - time.time() * 1000) < 1000, equal_to(True))
    moment = datetime.datetime(2024, 5, 6, 7, 8, 9, 500000)
    assert_that(sqs_attribute_reads.unix_time(moment), equal_to(sqs_attribute_reads._original_unix_time(moment)))


def test_service_models_come_from_one_loader_and_are_moto_own() -> None:
    import moto.core.utils
    from moto.core.loaders import create_loader

    from harness.engine import model_loader

    model_loader.install()
    assert_that(moto.core.utils.create_loader(), is_(same_instance(moto.core.utils.create_loader())))
    for service, model in (("sqs", "service-2"), ("s3", "service-2"), ("stepfunctions", "paginators-1")):
        assert_that(model_loader.shared_loader().load_service_model(service, model),
                    equal_to(create_loader().load_service_model(service, model)), service)
