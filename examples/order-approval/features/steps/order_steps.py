import json
import uuid

from behave import then, when
from hamcrest import assert_that, equal_to, has_item

from harness.statemachine.executions import execution_arn, wait_for_end


@when("a customer orders {quantity:d} {item} at {price:g} each")
def order(context, quantity, item, price):
    context.order_id = f"order-{uuid.uuid4().hex[:8]}"
    lines = [{"item": item, "quantity": quantity, "price": price}]
    machine = context.stack.provisioned.state_machine_arn
    context.stack.aws.stepfunctions.start_execution(
        stateMachineArn=machine, name=context.order_id, input=json.dumps({"order_id": context.order_id, "lines": lines})
    )
    report = wait_for_end(context.stack.aws.stepfunctions, execution_arn(machine, context.order_id), 30)
    context.executions.append(report)
    assert_that(report.status, equal_to("SUCCEEDED"), report.summary())


def recorded(context):
    table = context.stack.provisioned.placeholders["OrdersTableName"]
    return context.stack.aws.dynamodb.get_item(TableName=table, Key={"order_id": {"S": context.order_id}})["Item"]


@then("the order is {status:w}")
def decided(context, status):
    assert_that(recorded(context)["status"]["S"], equal_to(status.upper()))


@then("the decision is recorded with a total of {total:g}")
def total(context, total):
    assert_that(float(recorded(context)["total"]["N"]), equal_to(total))


@then("the approver was asked")
def asked(context):
    assert_that(context.executions[-1].state_names, has_item("AskApprover"))
