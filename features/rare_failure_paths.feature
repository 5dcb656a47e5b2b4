@mocked_integrations
Feature: Rare failures and recoveries of the pipeline, rehearsed with recorded answers

  Some paths of the pipeline are taken only when something around it goes wrong in a way that
  is hard to provoke on purpose: a request that reaches the pipeline without a company, a
  message to an app that cannot be sent, an app that records failures held up, a failure that
  comes to be recorded once the request has moved on. They are rehearsed with recorded answers
  in place of the apps' work, so every path the pipeline declares is checked on every run.

  Acceptance criteria:
  - a request the ingest app cannot take in fails at ingesting it, the catalogue records where
    and why, and the request can be sent through again from there;
  - a message to an app that cannot be sent at first is sent again, and the request completes;
  - a failure is still recorded when the app that records failures is held up at first;
  - a failure recorded for a request no longer in flight leaves the catalogue's entry as it is,
    and the request still ends with its original reason.

  Rule: a request the ingest app cannot take in fails at ingesting it, and the failure is recorded

    Scenario: the ingest app finds that the request names no company
      Given a rehearsal in which the ingest app finds that the request names no company
      When an analyst's request for the latest 10-K filing of CIK 320193 is rehearsed
      Then the request has failed at ingesting the request because it names no company
      And the request can be sent through again from where it failed

  Rule: a message to an app that cannot be sent at first is sent again

    Scenario: the message to the app that fetches filings cannot be sent at first
      Given a rehearsal in which the message to the app that fetches filings cannot be sent at first
      When an analyst's request for the latest 10-K filing of CIK 320193 is rehearsed
      Then the rehearsed request is complete
      And fetching the filing was tried 2 times without asking the SEC API

  Rule: a failure is still recorded when the app that records failures is held up at first

    @app_faults
    Scenario: the app that records failures freezes before it records that the company is unknown
      Given a rehearsal in which the company is unknown
      And the recorder app will freeze on its next task
      When an analyst's request for the latest 10-K filing of CIK 9999999999 is rehearsed
      And the frozen recorder app is replaced
      Then the request has failed at fetching the filing because the company is unknown

  Rule: a failure recorded for a request no longer in flight leaves the catalogue's entry as it is

    @app_control
    Scenario: the catalogue refuses a late failure
      Given a rehearsal in which the request is complete before its failure comes to be recorded
      When an analyst's request for the latest 10-K filing of CIK 789019 is rehearsed
      Then the catalogue refused to record the failure, and the request ended with the original reason
