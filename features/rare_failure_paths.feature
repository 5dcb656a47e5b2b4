@mocked_integrations
Feature: Rare failures and recoveries of the pipeline, rehearsed with recorded answers

  Some paths of the pipeline are taken only when something around it goes wrong in a way that
  is hard to provoke on purpose: a request that reaches the pipeline without a company, a
  message to an app that cannot be sent, a catalogue too busy to take a write. They are
  rehearsed with recorded answers in place of the apps' work, so every path the pipeline
  declares is checked on every run.

  Acceptance criteria:
  - a request the ingest app cannot take in fails at ingesting it, and the catalogue records
    where and why;
  - a message to an app that cannot be sent at first is sent again, and the request completes;
  - a failure is still recorded when the catalogue is briefly too busy to take it;
  - a failure reported for a request no longer in flight leaves the catalogue's entry as it is,
    and the request still ends with its original reason.

  Rule: a request the ingest app cannot take in fails at ingesting it, and the failure is recorded

    Scenario: the ingest app finds that the request names no company
      Given a rehearsal in which the ingest app finds that the request names no company
      When an analyst's request for the latest 10-K filing of CIK 320193 is rehearsed
      Then the request has failed at ingesting the request because it names no company
      And the failure was recorded before the request ended with the same reason

  Rule: a message to an app that cannot be sent at first is sent again

    Scenario: the message to the app that fetches filings cannot be sent at first
      Given a rehearsal in which the message to the app that fetches filings cannot be sent at first
      When an analyst's request for the latest 10-K filing of CIK 320193 is rehearsed
      Then the rehearsed request is complete
      And fetching the filing was tried 2 times without asking the SEC API

  Rule: a catalogue briefly too busy does not lose the record of a failure

    Scenario: the catalogue is too busy at first to record that the company is unknown
      Given a rehearsal in which the company is unknown and the catalogue is briefly too busy to record the failure
      When an analyst's request for the latest 10-K filing of CIK 9999999999 is rehearsed
      Then recording the failure was tried 2 times
      And the failure was recorded before the request ended with the same reason

  Rule: a failure reported for a request no longer in flight leaves the catalogue's entry as it is

    Scenario: the catalogue refuses a late failure
      Given a rehearsal in which the catalogue refuses a failure for a request no longer in flight
      When an analyst's request for the latest 10-K filing of CIK 789019 is rehearsed
      Then the catalogue refused to record the failure, and the request ended with the original reason
