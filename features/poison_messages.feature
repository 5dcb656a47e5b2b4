Feature: Messages no app can use are set aside with the reason, and the apps carry on

  Anything may land on a queue: a message that is not JSON, one the state machine did not send,
  one with fields of the wrong types, one far too big. Each is set aside whole in that queue's
  dead-letter queue, with the reason, for an operator; the app logs why and goes on consuming.

  Acceptance criteria:
  - on every queue, every kind of unusable message ends in its dead-letter queue with the reason;
  - the app logs the reason, and neither crashes nor stops taking messages;
  - a good request sent after all of them still completes.

  @app_control
  Scenario Outline: a message that <kind> on the <queue> queue
    Given an outsider puts a message that <kind> on the <queue> queue
    Then the message is set aside in that queue's dead-letter queue because <reason>
    And the app logged why it set the message aside
    And the app is still running

    Examples: the request queue
      | queue   | kind                          | reason                 |
      | request | is not JSON                   | the request is not JSON |
      | request | has fields of the wrong types | field 'cik' must be a string |
      | request | is huge                       | bytes; at most         |

    Examples: the task queues
      | queue     | kind                          | reason                       |
      | ingest    | is not JSON                   | the message is not JSON      |
      | ingest    | has no task token             | the message has no taskToken |
      | ingest    | has fields of the wrong types | taskToken must be a string   |
      | ingest    | is huge                       | a task from the state machine is at most |
      | utilities | is not JSON                   | the message is not JSON      |
      | utilities | has no task token             | the message has no taskToken |
      | utilities | has fields of the wrong types | taskToken must be a string   |
      | utilities | is huge                       | a task from the state machine is at most |
      | validator | is not JSON                   | the message is not JSON      |
      | validator | has no task token             | the message has no taskToken |
      | validator | has fields of the wrong types | taskToken must be a string   |
      | validator | is huge                       | a task from the state machine is at most |

  Scenario: a good request still completes after every kind of unusable message
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    Then the request is complete
