@load
Feature: A burst of requests all complete, none lost and none done twice

  Two hundred analysts press the button at once. Every request completes, and the counts of
  runs of the pipeline, catalogue items and archived files match the requests exactly, with
  nothing set aside for an operator. Runs with -D LOAD_TESTS=on -D TIME_SCALE=1 (it takes a minute and a half).

  Rule: every request of a burst is done exactly once

    Scenario: a burst of 200 requests
      Given analysts send 200 requests at once
      When every request has been processed
      Then each request left exactly one run of the pipeline, one complete catalogue item and its archived files, and nothing was set aside
