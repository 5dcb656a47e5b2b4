"""Living documentation: an HTML report of a behave run, with each execution drawn on its state machine.

Generic: it knows Amazon States Language and behave, nothing of any one pipeline. Modules, one job each:

    asl_graph   the states and transitions of an ASL definition
    path        what one execution did on that graph (order, retries, the failure, edges taken)
    dot         the graph as Graphviz DOT, with a path drawn on it
    render      DOT -> inline SVG through Graphviz's ``dot``, or a note when it is missing
    timeline    the state durations of one execution as bars
    sanitize    secrets out of whatever the report shows
    records     what the report says of a run, collected from behave's model and the hooks
    html        the self-contained HTML page
    overview    the whole state machine and an index of the features, without running anything
    hooks       the few calls ``harness.behave.hooks`` makes
    record_file a run's record saved beside its report, for a merge
    merge       the records of the processes of a parallel run as one record
"""
