Feature: A request sent twice is done once

  Analysts' tools may send a request again, and a queue may deliver a message twice. Because a
  run of the pipeline is named after its request id, the pipeline does such a request exactly
  once: one run, one catalogue item, and each step of the work answered once.

  Acceptance criteria:
  - the same request sent twice is done exactly once;
  - a different request under an id already used is set aside for an operator with the reason,
    and the first request's outcome stays as it was;
  - a request delivered again because the app that took it died is covered in faults.feature.

  Rule: the same request sent twice is done once

    Scenario: the same request arrives twice
      Given an analyst requests the latest 10-K filing of CIK 320193
      And the analyst sends the same request again
      When the request is processed
      Then the request is complete and was done exactly once

  Rule: a different request under a request id already used is set aside, and changes nothing

    Scenario: a different request under a request id already used is set aside
      Given an analyst's request for the latest 10-K filing of CIK 320193 is complete
      When another request for the latest 10-K filing of CIK 1318605 arrives under the same request id
      Then the second request is set aside for an operator because its request id is taken by a different request
      And the first request is still complete and was done exactly once
