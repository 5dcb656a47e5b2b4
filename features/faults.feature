Feature: Crashed and frozen apps lose nothing and do nothing twice

  Any app may die or freeze in the middle of a task. The pipeline must then finish the request
  exactly once: the task comes back to a fresh run of the app, or the pipeline tries it again,
  and in the end the request was done exactly once: one run of the pipeline, one catalogue
  item, and each step of the work answered once.

  Acceptance criteria:
  - an app killed right after its first write is restarted, its task comes back, and the
    request completes, done exactly once;
  - an app that freezes misses its heartbeat; the pipeline tries the task again, and a
    replaced app completes it;
  - an app that stays frozen fails the request once the tries are spent, and the catalogue
    says where and why;
  - an SEC API outage longer than every try fails the request; the original request is kept;
  - an operator can send a failed request through again once the cause is mended: its run is
    taken up again at the step that failed, the steps done before are not done again, it
    completes, and the catalogue still tells of the first failure;
  - an operator cannot send through again a request that has not failed.

  @app_faults
  Rule: a task cut short by a crash is finished by the next run of the app, once

    Scenario Outline: the <app> app crashes right after its first write
      Given the <app> app will crash right after its first write
      And an analyst requests the latest 10-K filing of CIK 320193
      When the <app> app crashes and is restarted
      Then the request is complete and was done exactly once

      Examples:
        | app        |
        | dispatcher |
        | ingest     |
        | utilities  |
        | validator  |

    Scenario: the utilities app crashes right after archiving a filing, and its redo writes the same file
      Given the utilities app will crash right after archiving its first file
      And an analyst requests the latest 10-K filing of CIK 320193
      When the utilities app crashes and is restarted
      Then the request is complete and was done exactly once

  @app_faults @needs_time_scale
  Rule: a frozen app that misses its heartbeat has its task tried again, as often as the pipeline allows

    Scenario: a frozen app is replaced and the task tried again completes
      Given the ingest app will freeze on its next task
      And an analyst requests the latest 10-K filing of CIK 1318605
      When the frozen ingest app misses its heartbeat and is replaced
      Then the request is complete and was done exactly once
      And ingesting the request was tried again after the app missed its heartbeat

    Scenario: an app that stays frozen fails the request once the tries are spent
      Given the validator app will freeze on its next task
      And an analyst requests the latest 10-K filing of CIK 789019
      When the request is processed
      Then the request has failed at validating the archive, and the catalogue says the app missed its heartbeat
      And validating the archive was tried 3 times

  Rule: an SEC API outage longer than every try fails the request, and the request is kept

    Scenario: the SEC API is unavailable for longer than the tries last
      Given an analyst requests the latest 10-K filing of CIK 789019 while the SEC API is down
      When the request is processed
      Then the request has failed at fetching the filing because the SEC API is unavailable
      And fetching the filing was tried 4 times, asking the SEC API 16 times in all
      And nothing but the original request is archived, kept whole for an operator to send again

  Rule: an operator sends a failed request through again once its cause is mended

    Scenario: a request that failed while the SEC API was down is sent through again once it is back
      Given an analyst's request for the latest 10-K filing of CIK 1318605 failed while the SEC API was down
      When the SEC API is back and an operator sends the request through again
      Then the request is complete
      And the catalogue keeps the first failure, at fetching the filing, and says the request was sent through again once
      And its one run of the pipeline was taken up again at fetching the filing, each step was done once, and each archived file is there once

  Rule: only a request that failed is sent through again

    Scenario: a request that is complete is not sent through again
      Given an analyst's request for the latest 10-K filing of CIK 320193 is complete
      When an operator tries to send the request through again
      Then the operator is told the request has not failed, and its run is as it was
