"""Steps that make an app crash or hang for real, and replace it as a supervisor would.

The faults are settings the apps read (workers/faults.py); the stack restarts the app with
them. Whatever a scenario leaves armed, the fixture takes back: the app is killed and started
healthy again, so later scenarios see the pipeline as it normally is.
"""

from __future__ import annotations

from behave import fixture, given, then, when
from behave.fixture import use_fixture
from hamcrest import assert_that, equal_to, greater_than_or_equal_to, has_entries, is_in, not_none

from harness.statemachine.executions import read_execution
from harness.waiting import wait_until
from steps.outcome_steps import STATE_PHRASES
from steps.pipeline_context import catalogue_item, explain, request_execution_arn

FAULT_SETTINGS = {"crash right after its first write": "FAULT_CRASH_AFTER_FIRST_WRITE", "hang on its next task": "FAULT_HANG"}
HEARTBEAT_ERRORS = ("States.Timeout", "States.HeartbeatTimeout")


@fixture
def faulty_app(context, app, setting):
    context.stack.restart_app(app, {setting: app})
    context.faulty_apps = getattr(context, "faulty_apps", set()) | {app}
    yield
    if app in context.faulty_apps:
        context.stack.kill_app(app)  # SIGKILL ends a frozen process too; SIGTERM would wait
        context.stack.restart_app(app)


@given("the {app} app will {fault}")
def step_app_will_fail(context, app, fault):
    use_fixture(faulty_app, context, app, FAULT_SETTINGS[fault])


@when("the {app} app has crashed")
def step_app_crashed(context, app):
    wait_until(
        lambda: context.stack.app_pid(app) is None,
        timeout=context.settings.execution_timeout,
        awaited=f"the {app} app to crash after its first write",
    )


@when("the {app} app has hung")
def step_app_hung(context, app):
    wait_until(
        lambda: "fault injected: hanging" in context.stack.app_output(app),
        timeout=context.settings.execution_timeout,
        awaited=f"the {app} app to freeze on its task",
    )


@when("the {app} app is restarted")
@when("the {app} app is replaced")
def step_app_replaced(context, app):
    context.stack.kill_app(app)
    context.stack.restart_app(app)
    context.faulty_apps.discard(app)


@when("the task's heartbeat times out")
def step_heartbeat_times_out(context):
    sfn = context.stack.aws.stepfunctions
    wait_until(
        lambda: any(visit.failures for visit in read_execution(sfn, request_execution_arn(context)).path),
        timeout=context.settings.execution_timeout,
        awaited=f"request {context.request_id}'s task to miss its heartbeat",
    )


@then("{state_phrase} was retried after its heartbeat timed out")
def step_retried_after_heartbeat(context, state_phrase):
    visit = next((v for v in context.execution.path if v.name == STATE_PHRASES[state_phrase]), None)
    assert_that(visit, not_none(), explain(context))
    assert_that(len(visit.failures), greater_than_or_equal_to(1), explain(context))
    assert_that(visit.failures[0][0], is_in(HEARTBEAT_ERRORS), explain(context))
    assert_that(visit.exited, not_none(), f"the retry did not complete\n{explain(context)}")


@then("{state_phrase} was tried {times:d} times")
def step_tried_times(context, state_phrase, times):
    visit = next((v for v in context.execution.path if v.name == STATE_PHRASES[state_phrase]), None)
    assert_that(visit and len(visit.failures), equal_to(times), explain(context))


@then("the request has failed at {state_phrase}, and the catalogue records the missed heartbeat")
def step_failed_on_heartbeat(context, state_phrase):
    # Only the catalogue is checked for the error name: the emulator refuses a Fail state whose
    # ErrorPath yields a name starting "States." (it reports States.Runtime instead).
    state = STATE_PHRASES[state_phrase]
    assert_that(context.execution.status, equal_to("FAILED"), explain(context))
    assert_that(context.execution.failed_state.name, equal_to(state), explain(context))
    item = catalogue_item(context)
    assert_that(item, has_entries(status="FAILED", failed_state=state), explain(context))
    assert_that(item["error"], is_in(HEARTBEAT_ERRORS), explain(context))
