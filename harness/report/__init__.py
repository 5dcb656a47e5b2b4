"""Living documentation: an HTML report of a behave run, with each execution drawn on its state machine.

Presentation only: the graph, executions and coverage come from ``harness.statemachine``, what
behave ran from ``harness.behave.reporting``. Nothing of any one pipeline. Modules, one job each:

    path        what one execution did on the machine's graph (order, retries, the failure)
    coverage_view  the run's state-machine coverage: the machine, what no scenario takes
    dot         the graph as Graphviz DOT, with a path drawn on it
    render      DOT -> inline SVG through Graphviz's ``dot``, or a note when it is missing
    timeline    the state durations of one execution as bars
    sanitize    secrets out of whatever the report shows
    records     what the report says of a run, collected from behave's model and the hooks
    html        the self-contained HTML page
    overview    the whole state machine and an index of the features, without running anything
    record_file a run's record saved beside its report, for a merge
    merge       the records of the processes of a parallel run as one record
"""
