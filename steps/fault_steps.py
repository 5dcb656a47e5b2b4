"""Steps that make an app crash or freeze for real, and replace it as a supervisor would.

The faults are settings the apps read (workers/faults.py); the stack restarts the app with
them. Whatever a scenario leaves armed, the fixture takes back: the app is killed and started
healthy again, so later scenarios see the pipeline as it normally is.
"""

from __future__ import annotations

from behave import fixture, given, then, when
from behave.fixture import use_fixture
from hamcrest import anything, assert_that, equal_to, has_item, is_in, not_none, only_contains

from harness.statemachine.executions import read_execution
from harness.waiting import wait_until
from steps.phrases import HEARTBEAT_ERRORS, state_of
from steps.outcomes import assert_failed
from steps.pipeline_context import current_execution, explain, request_execution_arn

FAULT_SETTINGS = {
    "crash right after its first write": "FAULT_CRASH_AFTER_FIRST_WRITE",
    "crash right after archiving its first file": "FAULT_CRASH_AFTER_FIRST_ARCHIVE_WRITE",
    "freeze on its next task": "FAULT_HANG",
}


@fixture
def faulty_app(context, app, setting):
    context.stack.restart_app(app, {setting: app})
    context.faulty_apps = getattr(context, "faulty_apps", set()) | {app}
    yield
    if app in context.faulty_apps:
        context.stack.kill_app(app)  # SIGKILL ends a frozen process too; SIGTERM would wait
        context.stack.restart_app(app)


def replace_app(context, app):
    context.stack.kill_app(app)
    context.stack.restart_app(app)
    context.faulty_apps.discard(app)


@given("the {app} app will {fault}")
def step_app_will_fail(context, app, fault):
    use_fixture(faulty_app, context, app, FAULT_SETTINGS[fault])


@when("the {app} app crashes and is restarted")
def step_app_crashes_and_restarts(context, app):
    wait_until(
        lambda: context.stack.app_pid(app) is None,
        timeout=context.settings.execution_timeout,
        awaited=f"the {app} app to crash",
    )
    replace_app(context, app)


def wait_until_frozen(context, app):
    wait_until(
        lambda: "fault injected: hanging" in context.stack.app_output(app),
        timeout=context.settings.execution_timeout,
        awaited=f"the {app} app to freeze on its task",
    )


@when("the frozen {app} app misses its heartbeat and is replaced")
def step_frozen_app_replaced(context, app):
    wait_until_frozen(context, app)
    sfn = context.stack.aws.stepfunctions
    wait_until(
        lambda: any(visit.failures for visit in read_execution(sfn, request_execution_arn(context)).path),
        timeout=context.settings.execution_timeout,
        awaited=f"request {context.request_id}'s task to miss its heartbeat",
    )
    replace_app(context, app)


@when("the frozen {app} app is replaced")
def step_frozen_app_replaced_now(context, app):
    wait_until_frozen(context, app)
    replace_app(context, app)


@then("{state_phrase} was tried again after the app missed its heartbeat")
def step_tried_again_after_heartbeat(context, state_phrase):
    state = state_of(state_phrase)
    visits = [v for v in current_execution(context).path if v.name == state]
    assert_that(visits, has_item(not_none()), f"{state_phrase} never ran\n{explain(context)}")
    failures = [error for visit in visits for error, _ in visit.failures]
    # Tried again: every failed try missed its heartbeat, and the last try succeeded. The phrase
    # names no count: a replacement that is slow to come up (a container) may miss one more.
    assert_that(failures, has_item(anything()), f"{state_phrase} never missed a heartbeat\n{explain(context)}")
    assert_that(failures, only_contains(is_in(HEARTBEAT_ERRORS)), f"{state_phrase}'s failed tries\n{explain(context)}")
    assert_that(visits[-1].succeeded, equal_to(True), f"the try after the missed heartbeat\n{explain(context)}")


@then("the request has failed at {state_phrase}, and the catalogue says the app missed its heartbeat")
def step_failed_on_heartbeat(context, state_phrase):
    # The run fails at the task itself, with the error its last attempt ended with.
    assert_failed(context, state_phrase, "the app missed its heartbeat")
