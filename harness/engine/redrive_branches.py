"""RedriveExecution of a Parallel or inline Map state: only its branches and iterations that did not
succeed run again.

AWS (API reference, RedriveExecution): "For workflows that include an Inline Map or Parallel
state, RedriveExecution API action reschedules and redrives only the iterations and branches that
failed or aborted"; a redriven state is one that was entered and never exited ("Redriving Map
Runs": no ``<stateType>Exited`` event for its ``<stateType>Entered`` event). So, read the same way
one level down as at the top:
* a branch or iteration that succeeded keeps its output and does not run again;
* one that failed or was aborted carries on from the state inside it that it entered last, with
  the input that state was given (and so on down, for a Parallel or Map inside it);
* one that never started (a Map stops scheduling iterations once one fails) runs from its start.
The Map or Parallel state's result is then the kept outputs and the new ones, in their order.
Once the redriven state has run, a Retry of it runs every branch or iteration again, as a retry
always does. A Distributed Map is not covered here: it re-runs whole (its Map Run is not redriven
child by child).

How: while any execution runs, each branch and iteration frame knows where it sits (the state
and index path from the top; frames opened from it inherit that) and notes, on the execution's event manager (which a redrive
keeps), the last state it entered with that state's input, and its output once it succeeded.
``redrive_execution`` arms the failed top-level state; an armed Parallel or inline Map reads
those notes once to decide what to run.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from moto.stepfunctions.parser.api import ExecutionFailedEventDetails, HistoryEventType
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.flow.start_at import StartAt
from moto.stepfunctions.parser.asl.component.program.program import Program
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component import (
    InlineIterationComponent,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.iteration_worker import (
    IterationWorker,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.job import Job, JobPool
from moto.stepfunctions.parser.asl.component.state.exec.state_map.max_concurrency import (
    DEFAULT_MAX_CONCURRENCY_VALUE,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branch_worker import BranchWorker
from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl import (
    BranchesDecl,
    BranchWorkerPool,
)
from moto.stepfunctions.parser.asl.component.state.state import CommonStateField
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.eval.program_state import ProgramError

Location = tuple[Any, ...]  # ("Outer", 1, "Inner", 0): state name, branch or item index, ...


@dataclass(frozen=True)
class Resume:
    """Where a branch or iteration that did not succeed carries on."""

    state: str
    input: Any


@dataclass
class Progress:
    """What the branches and iterations of one execution did, kept across its redrives."""

    entered: dict[Location, Resume] = field(default_factory=dict)  # per branch/iteration: its last state entered
    succeeded: dict[Location, Any] = field(default_factory=dict)  # per branch/iteration: its output
    armed: set[Location] = field(default_factory=set)  # Parallel/Map states a redrive resumes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def forget_children(self, location: Location, count: int) -> None:
        """A new run of the state at ``location``: what its branches or iterations noted before no
        longer holds. (Notes deeper down are read only through a child that resumes, whose own
        notes are this run's.)"""
        with self.lock:
            for index in range(count):
                self.entered.pop((*location, index), None)
                self.succeeded.pop((*location, index), None)

    def take_plan(self, location: Location, count: int) -> dict[int, Any] | None:
        """For an armed state (once): per index, ``("keep", output)``, ``("resume", Resume)`` or
        ``("start", None)``; None when the state is not being redriven."""
        with self.lock:
            if location not in self.armed:
                return None
            self.armed.discard(location)
            plan: dict[int, Any] = {}
            for index in range(count):
                child = (*location, index)
                if child in self.succeeded:
                    plan[index] = ("keep", self.succeeded[child])
                elif child in self.entered:
                    plan[index] = ("resume", self.entered[child])
                else:
                    plan[index] = ("start", None)
            return plan


def progress_of(env: Environment) -> Progress:
    """The execution's notes; they live on its event manager, which every frame and a redrive share."""
    manager = env.event_manager
    progress = getattr(manager, "_branch_progress", None)
    if progress is None:
        progress = Progress()
        manager._branch_progress = progress  # type: ignore[attr-defined]
    return progress


def location_of(env: Environment) -> Location:
    return getattr(env, "_branch_location", ())


def _current_state(env: Environment) -> str:
    return str(env.states.context_object.context_object_data["State"]["Name"])


def arm(env: Environment, state_name: str) -> None:
    """``redrive_execution``: the top-level state the redrive resumes is resumed branch by branch."""
    progress_of(env).armed.add((state_name,))


def _resumed_program(program: Program, resume: Resume) -> Program:
    resumed = copy.copy(program)
    resumed.start_at = StartAt(resume.state)  # type: ignore[misc]
    return resumed


def _start_child(env: Environment, frame: Environment, child: Location, step: Any) -> tuple[Any, Any]:
    """Prepare a branch or iteration frame; returns (program override or None, input override or None)."""
    frame._branch_location = child  # type: ignore[attr-defined]
    if step and step[0] == "resume":
        resume: Resume = step[1]
        progress_of(env).armed.add((*child, resume.state))  # a Parallel or Map it resumes at, resumes likewise
        return resume, json.loads(resume.input)
    return None, None


# -- Parallel ---------------------------------------------------------------------------------


class _NotingPool(BranchWorkerPool):
    """moto's pool, noting each branch that succeeded (before a sibling's failure stops the rest)."""

    def __init__(self, workers_num: int, progress: Progress) -> None:
        super().__init__(workers_num)
        self._progress = progress

    def on_terminated(self, env: Environment) -> None:
        if not isinstance(env.program_state(), ProgramError) and not self._termination_event.is_set():
            with self._progress.lock:
                self._progress.succeeded[location_of(env)] = env.states.get_input()
        super().on_terminated(env)


def _branches_eval_body(self: BranchesDecl, env: Environment) -> None:
    """moto's BranchesDecl._eval_body, with the branches a redrive keeps left out."""
    input_val = env.stack.pop()
    location = (*location_of(env), _current_state(env))
    progress = progress_of(env)
    plan = progress.take_plan(location, len(self.programs)) or {}
    kept = {index: step[1] for index, step in plan.items() if step[0] == "keep"}
    progress.forget_children(location, len(self.programs))
    with progress.lock:
        progress.succeeded.update({(*location, index): output for index, output in kept.items()})

    pool = _NotingPool(workers_num=len(self.programs) - len(kept), progress=progress)
    running: dict[int, BranchWorker] = {}
    for index, program in enumerate(self.programs):
        if index in kept:
            continue
        frame: Environment = env.open_inner_frame()
        resume, resume_input = _start_child(env, frame, (*location, index), plan.get(index))
        frame.states.reset(input_value=input_val if resume is None else resume_input)
        worker = BranchWorker(branch_worker_comm=pool, program=program if resume is None else
                              _resumed_program(program, resume), env=frame)
        running[index] = worker
        worker.start()
    if running:
        pool.wait()

    exit_details: ExecutionFailedEventDetails | None = pool.get_exit_event_details()
    if exit_details is not None:
        for worker in running.values():
            worker.stop(stop_date=datetime.datetime.now(), cause=None, error=None)
            env.close_frame(worker.env)
        raise FailureEventException(failure_event=FailureEvent(
            env=env,
            error_name=CustomErrorName(error_name=exit_details.get("error")),
            event_type=HistoryEventType.ExecutionFailed,
            event_details=EventDetails(executionFailedEventDetails=exit_details),
        ))
    results = []
    for index in range(len(self.programs)):
        if index in kept:
            results.append(copy.deepcopy(kept[index]))
            continue
        frame = running[index].env
        results.append(frame.states.get_input())
        env.close_frame(frame)
    env.stack.append(results)


# -- inline Map -------------------------------------------------------------------------------


class _ResumedJob(Job):
    """An iteration that carries on inside: its program starts at the resumed state, with that
    state's input (its item stays its item, for ``$$.Map.Item``)."""

    def __init__(self, job_index: int, job_program: Program, item: Any, resume: Resume) -> None:
        super().__init__(job_index=job_index, job_program=job_program, job_input=item)
        self.resume = resume


class _ChosenJobPool(JobPool):
    """moto's pool over some of the items only, each keeping its own index."""

    def __init__(self, jobs: list[Job], count: int) -> None:
        super().__init__(job_program=jobs[0].job_program if jobs else None, job_inputs=[])  # type: ignore[arg-type]
        self._jobs_number = len(jobs)  # type: ignore[misc]
        self._open_jobs.extend(reversed(jobs))


def _iteration_eval_body(self: InlineIterationComponent, env: Environment) -> None:
    """moto's InlineIterationComponent._eval_body, with the iterations a redrive keeps left out."""
    eval_input = env.stack.pop()
    items: list[Any] = eval_input.input_items
    location = (*location_of(env), eval_input.state_name)
    progress = progress_of(env)
    plan = progress.take_plan(location, len(items)) or {}
    kept = {index: step[1] for index, step in plan.items() if step[0] == "keep"}
    progress.forget_children(location, len(items))
    with progress.lock:
        progress.succeeded.update({(*location, index): output for index, output in kept.items()})

    program = self._get_iteration_program()
    jobs: list[Job] = []
    for index, item in enumerate(items):
        if index in kept:
            continue
        step = plan.get(index)
        if step and step[0] == "resume":
            jobs.append(_ResumedJob(index, _resumed_program(program, step[1]), item, step[1]))
        else:
            jobs.append(Job(job_index=index, job_program=program, job_input=item))
    pool = _ChosenJobPool(jobs, len(items))
    concurrency = len(jobs) if eval_input.max_concurrency == DEFAULT_MAX_CONCURRENCY_VALUE else eval_input.max_concurrency
    for _ in range(min(concurrency, len(jobs))):
        self._launch_worker(env=env, eval_input=eval_input, job_pool=pool)
    if jobs:
        pool.await_jobs()
    worker_exception = pool.get_worker_exception()
    if worker_exception is not None:
        raise worker_exception
    outputs = {closed.job_index: closed.job_output for closed in pool.get_closed_jobs()}
    outputs.update({index: copy.deepcopy(output) for index, output in kept.items()})
    env.stack.append([outputs[index] for index in range(len(items))])


def _wrap_eval_job(original: Any) -> Any:
    @functools.wraps(original)
    def _eval_job(self: IterationWorker, env: Environment, job: Job) -> None:
        child = (*location_of(self._env), self._work_name, job.job_index)
        env._branch_location = child  # type: ignore[attr-defined]
        progress = progress_of(env)
        resume = getattr(job, "resume", None)
        if resume is not None:
            progress.armed.add((*child, resume.state))
            # Its input is the resumed state's own: the ItemSelector made the iteration's, the first time.
            resumed_input = json.loads(resume.input)
            self._eval_input = lambda env_frame: env_frame.states.reset(input_value=resumed_input)  # type: ignore[method-assign]
        try:
            original(self, env, job)
        finally:
            if resume is not None:
                del self._eval_input
        if not isinstance(job.job_output, Exception):
            with progress.lock:
                progress.succeeded[child] = job.job_output

    return _eval_job


# -- the notes each state's entry leaves ---------------------------------------------------------


def _wrap_entered(original: Any) -> Any:
    @functools.wraps(original)
    def _get_state_entered_event_details(self: CommonStateField, env: Environment) -> Any:
        details = original(self, env)
        child = location_of(env)
        if child:  # inside a branch or iteration: where it would carry on from
            progress = progress_of(env)
            with progress.lock:
                progress.entered[child] = Resume(self.name, details["input"])
        return details

    return _get_state_entered_event_details


def _wrap_frames(original: Any) -> Any:
    """A frame sits where the environment it is opened from sits (a Task, Map or Parallel state
    runs in a frame of its own; a branch or iteration frame is then given its own place)."""

    @functools.wraps(original)
    def as_inner_frame_of(cls: type, env: Environment, *args: Any, **kwargs: Any) -> Environment:
        frame = original.__func__(cls, env, *args, **kwargs)
        location = location_of(env)
        if location:
            frame._branch_location = location  # type: ignore[attr-defined]
        return frame

    return classmethod(as_inner_frame_of)


def install() -> None:
    if getattr(BranchesDecl._eval_body, "__redrive_branches__", False):
        return
    Environment.as_inner_frame_of = _wrap_frames(Environment.__dict__["as_inner_frame_of"])  # type: ignore[method-assign]
    _branches_eval_body.__redrive_branches__ = True  # type: ignore[attr-defined]
    BranchesDecl._eval_body = _branches_eval_body  # type: ignore[method-assign]
    InlineIterationComponent._eval_body = _iteration_eval_body  # type: ignore[method-assign]
    IterationWorker._eval_job = _wrap_eval_job(IterationWorker._eval_job)  # type: ignore[method-assign]
    CommonStateField._get_state_entered_event_details = _wrap_entered(  # type: ignore[method-assign]
        CommonStateField._get_state_entered_event_details)
