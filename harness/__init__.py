"""A generic harness that runs an AWS Step Functions pipeline on a local stack.

It starts an AWS emulator, provisions resources from a declaration, deploys a state machine
definition, runs executions and reads their history. It knows nothing of any one pipeline.
"""
