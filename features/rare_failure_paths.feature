@mocked_integrations
Feature: Rare failures and recoveries of the pipeline, rehearsed with recorded answers

  Some paths of the pipeline are taken only when something around it goes wrong in a way that
  is hard to provoke on purpose: the archive refusing a request, a message to an app that cannot
  be sent, a catalogue too busy to take a write. They are rehearsed with recorded answers in
  place of the apps' work, so every path the pipeline declares is checked on every run.

  Acceptance criteria:
  - a request the ingest app cannot archive fails at ingesting it, and the catalogue records
    where and why;
  - a message to an app that cannot be sent at first is sent again, and the request completes;
  - a failure is still recorded when the catalogue is briefly too busy to take it.

  Rule: a request that cannot be taken in fails at ingesting it, and the failure is recorded

    Scenario: the ingest app cannot archive the request
      Given a rehearsal in which the ingest app cannot archive the request
      When an analyst's request for the latest 10-K filing of CIK 320193 is rehearsed
      Then ingesting the request was attempted 1 times
      And the failure was recorded before the request failed with the ingest app failed

  Rule: a message to an app that cannot be sent at first is sent again

    Scenario: the message to the app that fetches filings cannot be sent at first
      Given a rehearsal in which the message to the app that fetches filings cannot be sent at first
      When an analyst's request for the latest 10-K filing of CIK 320193 is rehearsed
      Then fetching the filing was attempted 2 times
      And the rehearsed request completes

  Rule: a catalogue briefly too busy does not lose the record of a failure

    Scenario: the catalogue is too busy at first to record that the company is unknown
      Given a rehearsal in which the company is unknown and the catalogue is briefly too busy to record the failure
      When an analyst's request for the latest 10-K filing of CIK 9999999999 is rehearsed
      Then recording the failure was attempted 2 times
      And the failure was recorded before the request failed with the company is unknown
