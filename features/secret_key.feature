Feature: The SEC API key never leaks

  The pipeline's SEC API key lives in Secrets Manager and travels only in a request header. After
  requests that completed and requests that failed, the key appears in no log line, report,
  archived file, catalogue item, set-aside message, run of the pipeline or error text, and no
  endpoint of the stack answers with it (the AWS emulator's admin and state API is closed unless a
  run asks for it); nor does a wrong key the pipeline held for a while. The SEC API turns away a
  query with a wrong key or none.

  Acceptance criteria:
  - after requests that complete and requests that fail, nothing they left holds the key, right
    or wrong, and neither do the reports of the test run, as they will be written, nor any
    endpoint the stack exposes;
  - the SEC API answers a query with the right key, and refuses a wrong key and a missing one.

  Rule: the key, right or wrong, is nowhere but where the pipeline keeps it

    Scenario: after requests that completed and failed, neither key is anywhere it must not be
      Given an analyst's request for the latest 10-K filing of CIK 320193 is complete
      And an analyst's request for the latest 10-K filing of CIK 789019 failed because the pipeline held a wrong SEC API key
      When every log, report, archived file, catalogue item, set-aside message, run of the pipeline and endpoint of the stack is searched for the SEC API key
      Then neither the right key nor the wrong one is found anywhere

  Rule: the SEC API answers only the right key

    Scenario: the SEC API refuses a wrong key and a missing one
      When the SEC API is queried with the right key, with a wrong key and with no key
      Then it answers the query made with the right key
      And it refuses the query made with a wrong key, as forbidden
      And it refuses the query made with no key, as unauthenticated
