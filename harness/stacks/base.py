"""What every stack offers the hooks and the steps."""

from __future__ import annotations

import abc
import atexit
import logging
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from harness.aws_clients import Clients
from harness.pipeline import Pipeline
from harness.resources.plan import ResourcePlan, plan_resources
from harness.resources.record import Provisioned
from harness.settings import Settings
from harness.stacks.launch import without_secrets

log = logging.getLogger(__name__)


class Stack(abc.ABC):
    name: str
    # What the stack can do that some scenarios need, declared by each stack, for the scenario
    # gates (harness/behave/gates.py): "app_faults" (restart an app with fault settings and show
    # its process and log), "time_scale" (its Step Functions scales timings, SFN_TIME_SCALE),
    # "mocked_integrations" (its Step Functions answers from a mock config, SFN_MOCK_CONFIG),
    # "app_control" (stop, start and watch an app), "app_resume" (let a frozen app go on).
    # A scenario needing what is not declared is skipped with the reason; one needing what is
    # declared runs, and fails if the stack cannot do it after all: a lost override is red.
    supports: frozenset[str] = frozenset()

    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.clients: Clients | None = None
        self.provisioned = Provisioned()
        # Helper services by name (a stand-in for an outside API) -> their endpoint.
        self.service_endpoints: dict[str, str] = {}
        self._started = False

    @property
    def aws(self) -> Clients:
        if self.clients is None:
            raise RuntimeError(f"the {self.name} stack is not started")
        return self.clients

    def start(self) -> None:
        # Registered first, so even a start that fails half-way is torn down at exit.
        atexit.register(self.stop)
        self._started = True
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self._stop()

    @abc.abstractmethod
    def _start(self) -> None: ...

    @abc.abstractmethod
    def _stop(self) -> None: ...

    def stopped_processes(self) -> list[tuple[str, int | None, str]]:
        """(name, exit status, last log lines) of each process of the stack that is no longer
        running, though the run needs it; none where the stack does not run processes itself."""
        return []

    def log_files(self) -> list[Path]:
        """The log file of each process the stack's scenarios use, a shared one's too; none where
        the stack's processes log elsewhere (containers)."""
        return []

    @abc.abstractmethod
    def stop_app(self, name: str) -> None:
        """Stop an app gracefully: it finishes its current task first."""

    @abc.abstractmethod
    def kill_app(self, name: str) -> None:
        """Kill an app at once, as a crash would."""

    @abc.abstractmethod
    def start_app(self, name: str) -> None: ...

    def restart_app(self, name: str, faults: Mapping[str, str] | None = None) -> None:
        """Stop the app and start it again with these fault settings (none: healthy again).

        Not abstract, so a stack that cannot inject faults still runs every other scenario.
        """
        raise NotImplementedError(f"the {self.name} stack cannot restart apps with faults")

    def app_pid(self, name: str) -> int | None:
        """The running app's process id (None when it is not running), to tell runs apart."""
        raise NotImplementedError(f"the {self.name} stack does not report app processes")

    def app_output(self, name: str) -> str:
        """Everything the app's current run has logged, unredacted: for checks that scan it."""
        raise NotImplementedError(f"the {self.name} stack does not expose app logs")

    def resume_app(self, name: str) -> None:
        """Let a frozen app (FAULT_HANG) go on with the task it froze on, as a long pause ends."""
        raise NotImplementedError(f"the {self.name} stack cannot resume a frozen app")

    @abc.abstractmethod
    def app_log_tail(self, name: str, lines: int = 20) -> str: ...

    def operator_env(self) -> dict[str, str]:
        """The environment for an operator's command (a script of the pipeline's) run here.

        What the apps are given, with the endpoints as this machine reaches them; no secrets.
        """
        # The settings hold the environment already, with the secrets taken out: adding
        # os.environ again would put back a key the user exported.
        env = self.settings_env()
        env.update(self.aws.target.app_environment())
        env.update(self.provisioned.app_env)
        return env

    def settings_env(self) -> dict[str, str]:
        return without_secrets(self.settings, self.pipeline)

    @property
    def plan(self) -> ResourcePlan:
        """The run's resources and their names, from the declaration and the current prefix."""
        return plan_resources(self.settings.resource_prefix, self.pipeline)

    def app_names(self) -> list[str]:
        return [app.name for app in self.pipeline.apps]

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
