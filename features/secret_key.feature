Feature: The SEC API key never leaks

  The pipeline's SEC API key lives in Secrets Manager and travels only in a request header. After
  a full run, with successes and failures behind it, it appears in no log line, report, archived
  filing, catalogue item, queued message, execution history or exception text, and no endpoint
  of the stack gives it away (the AWS emulator's admin and state API is closed unless a run asks
  for it). The SEC API turns away a query with a wrong key or none.

  Acceptance criteria:
  - after requests that complete and requests that fail, nothing the run left holds the key, and
    no endpoint the stack exposes answers with it;
  - the SEC API answers a query with the right key, and refuses a wrong key and a missing one.

  Scenario: after a run with successes and failures, the key is nowhere it must not be
    Given an analyst requests the latest 10-K filing of CIK 320193
    When the request is processed
    Then the request is complete
    Given the SEC API key the pipeline holds is wrong
    And an analyst requests the latest 10-K filing of CIK 789019
    When the request is processed
    Then the request has failed at fetching the filing because the SEC API refused the key
    And the SEC API key appears in no log, report, archived object, catalogue item, message, execution or endpoint

  Scenario: the SEC API refuses a wrong key and a missing one
    Then the SEC API answers 200 to a query with the right key
    And the SEC API answers 403 to a query with a wrong key
    And the SEC API answers 401 to a query with no key
