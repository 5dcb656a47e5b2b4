@load @small_burst
Feature: A small burst of requests completes at real timings, none lost and none done twice

  Twenty analysts press the button at once. Every request completes, and the counts of
  runs of the pipeline, catalogue items and archived files match the requests exactly, with nothing set
  aside in any dead-letter queue. At real timings, so that a queue's backlog counts against the
  heartbeats as it would in production. Small enough for every CI run (`make small-burst`, a few
  seconds); the burst of 200 in load.feature is run on demand.

  Rule: every request of a burst is done exactly once

    Scenario: a burst of 20 requests
      Given analysts send 20 requests at once
      When every request has been processed
      Then each request left exactly one run of the pipeline, one complete catalogue item and its archived files, and nothing was set aside
