Feature: Crashed and hung apps lose nothing and do nothing twice

  Any app may die or freeze in the middle of a task. The pipeline must then finish the request
  exactly once: the task comes back to a fresh run of the app, or the state machine retries it,
  and in the end there is one execution, one catalogue item and one copy of each archived file.

  Acceptance criteria:
  - an app killed right after its first write is replaced, its task comes back, and the request
    completes with nothing duplicated;
  - an app that freezes misses its heartbeat; the state machine retries the task, and a
    replaced app completes it;
  - an app that stays frozen fails the request once the retries are spent, and the catalogue
    says where and why;
  - a request that failed is kept, and an operator can send it through again once the cause is
    mended: a new execution completes it, and the catalogue still tells of the first failure.

  @app_faults
  Rule: a task cut short by a crash is finished by the next run of the app, once

    Scenario Outline: the <app> app crashes right after its first write
      Given the <app> app will crash right after its first write
      And an analyst requests the latest 10-K filing of CIK 320193
      When the <app> app has crashed
      And the <app> app is restarted
      And the request is processed
      Then the request is complete
      And the request left exactly one execution, one catalogue item and one copy of each archived object

      Examples:
        | app        |
        | dispatcher |
        | ingest     |
        | utilities  |
        | validator  |

  @app_faults @needs_time_scale
  Rule: a frozen app misses its heartbeat, and the state machine does what the definition says

    Scenario: a frozen app is replaced and the retried task completes
      Given the ingest app will hang on its next task
      And an analyst requests the latest 10-K filing of CIK 1318605
      When the ingest app has hung
      And the task's heartbeat times out
      And the ingest app is replaced
      And the request is processed
      Then the request is complete
      And ingesting the request was retried after its heartbeat timed out
      And the request left exactly one execution, one catalogue item and one copy of each archived object

    Scenario: an app that stays frozen fails the request once the retries are spent
      Given the validator app will hang on its next task
      And an analyst requests the latest 10-K filing of CIK 789019
      When the request is processed
      Then the request has failed at validating the archive, and the catalogue records the missed heartbeat
      And validating the archive was tried 3 times

  Rule: an SEC API outage longer than every retry fails the request, recorded and kept

    Scenario: the SEC API answers 503 for longer than the retries last
      Given the SEC API is down for CIK 789019
      And an analyst requests the latest 10-K filing of CIK 789019
      When the request is processed
      Then the request has failed at fetching the filing because the SEC API is unavailable
      And the recorded cause says the SEC API answered 503
      And fetching the filing was tried 4 times
      And the SEC API was asked 4 times for CIK 789019
      And nothing is archived
      And the original request is kept for an operator to send again

  Rule: an operator sends a failed request through again once its cause is mended

    Scenario: a request that failed while the SEC API was down is redriven once it is back
      Given the SEC API is down for CIK 1318605
      And an analyst requests the latest 10-K filing of CIK 1318605
      When the request is processed
      Then the request has failed at fetching the filing because the SEC API is unavailable
      When the SEC API is back for CIK 1318605
      And an operator redrives the request
      And the redriven request is processed
      Then the request is complete
      And the catalogue keeps the first failure, at FetchFiling, and counts 1 redrive
      And the first execution failed, the redrive succeeded, and each archived object is there once
