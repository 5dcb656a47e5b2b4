Feature: Messages no app can use are set aside with the reason, and the apps carry on

  Anything may land on a queue: a message that is not JSON, one the pipeline did not send, one
  with fields of the wrong types, one far too big. Each is set aside whole, with the reason,
  for an operator; the app logs why and goes on taking messages.

  Acceptance criteria:
  - on every queue, every kind of unusable message is set aside whole, with the reason;
  - the app logs the reason, and neither crashes nor stops taking messages;
  - a good request sent after all of them still completes.

  Rule: an unusable message is set aside with the reason, and the app that got it carries on

    @app_control
    Scenario Outline: a message that <kind> on the <queue> queue
      When an outsider puts a message that <kind> on the <queue> queue
      Then the message is set aside for an operator because <reason>
      And the app logged why it set the message aside
      And the app is still running

      Examples: the request queue
        | queue   | kind                          | reason                           |
        | request | is not JSON                   | it is not a readable request     |
        | request | has fields of the wrong types | the company is not given as text |
        | request | is huge                       | it is too big for a request      |

      Examples: the apps' task queues
        | queue     | kind                          | reason                          |
        | ingest    | is not JSON                   | it is not readable              |
        | ingest    | has no task token             | it was not sent by the pipeline |
        | ingest    | has fields of the wrong types | its task reference is not text  |
        | ingest    | is huge                       | it is too big for a task        |
        | utilities | is not JSON                   | it is not readable              |
        | utilities | has no task token             | it was not sent by the pipeline |
        | utilities | has fields of the wrong types | its task reference is not text  |
        | utilities | is huge                       | it is too big for a task        |
        | validator | is not JSON                   | it is not readable              |
        | validator | has no task token             | it was not sent by the pipeline |
        | validator | has fields of the wrong types | its task reference is not text  |
        | validator | is huge                       | it is too big for a task        |

  Rule: unusable messages do not stop the pipeline

    Scenario: a good request still completes after every kind of unusable message
      Given an analyst requests the latest 10-K filing of CIK 320193
      When the request is processed
      Then the request is complete
