Feature: A request sent twice is done once

  Analysts' tools may send a request again, and a queue may deliver a message twice. Because an
  execution is named after its request id, the pipeline does such a request exactly once.

  Acceptance criteria:
  - the same request sent twice makes one execution and one catalogue item;
  - a different request under an id already used is set aside with the reason, and the first
    request's outcome stays as it was;
  - a request message delivered again (the dispatcher died before it let go of it) is covered
    in faults.feature, by the dispatcher crash.

  Scenario: the same request arrives twice
    Given an analyst requests the latest 10-K filing of CIK 320193
    And the analyst sends the same request again
    When the request is processed
    Then the request is complete
    And the request left exactly one execution, one catalogue item and one copy of each archived object

  Scenario: a different request under a request id already used is set aside
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    Then the request is complete
    When another request for the latest 10-K filing of CIK 1318605 arrives under the same request id
    Then the request is set aside in the dead-letter queue because its request id is taken by a different request
    And the request left exactly one execution, one catalogue item and one copy of each archived object
