Feature: The pipeline's safeguards hold where the everyday requests never test them

  Rules an analyst relies on that the ordinary requests leave unproven: a request for several
  filings gets every one of them, the archive only ever holds the requested company's filings, a
  slow answer from the SEC API is waited for rather than given up on, and an app that wakes up
  late cannot undo what the pipeline decided meanwhile.

  Acceptance criteria:
  - every filing a request asks for is archived and catalogued, not only the first;
  - a filing of another company in a request's archive fails validation, even when the archive
    and the catalogue agree with each other;
  - a fetch that takes longer than a task may stay silent still completes at its first attempt;
  - an app that froze until its request had failed changes nothing when it resumes.

  Rule: a request for several filings gets every one of them

    Scenario: the latest two quarterly reports of Apple are both archived and catalogued
      Given an analyst requests the latest 2 10-Q filings of CIK 320193
      When the request is processed
      Then the request is complete
      And the filings 0000320193-25-000073 and 0000320193-25-000057 are each archived and catalogued

  Rule: the archive holds only the requested company's filings

    @app_control
    Scenario: another company's filing, archived and catalogued for a request, fails validation
      Given Apple's latest 10-K filing was fetched for an analyst and waits for validation
      When a filing of Tesla takes its place in both the archive and the catalogue
      Then the request fails validation because the archived filing belongs to another company

  Rule: a slow answer is waited for, not given up on

    @needs_time_scale
    Scenario: a fetch that outlasts the heartbeat timeout completes at its first attempt
      Given the SEC API is busy and slow: an answer about CIK 1318605 takes longer than the heartbeat timeout
      And an analyst requests the latest 10-Q filing of CIK 1318605
      When the request is processed
      Then the request is complete
      And the filing was fetched at the first attempt, which took longer than the heartbeat timeout

  Rule: a late task changes nothing the pipeline has decided since

    @app_faults @app_resume @needs_time_scale
    Scenario: an ingest app that froze until its request failed leaves the failure as it was
      Given the ingest app freezes on its next task
      And an analyst requests the latest 10-K filing of CIK 320193
      When the request has failed because the ingest app stopped answering
      And the frozen ingest app wakes up and finishes its task
      Then the catalogue still records the request as failed
