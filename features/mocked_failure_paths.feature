@mocked_integrations
Feature: The pipeline's failure paths, rehearsed without the SEC API

  How the pipeline answers an SEC API that fails, or an archive that does not match its
  catalogue, is rehearsed with recorded answers in place of the apps' work. Each rehearsal takes
  seconds and never asks the SEC API, so the paths that are hard to provoke are checked on every
  run.

  Acceptance criteria:
  - an SEC API that stays unavailable is tried as often as the pipeline allows, then the
    request is recorded as failed at fetching the filing, with the SEC API's reason, and can be
    sent through again from there;
  - an SEC API that turns the pipeline away twice as too many delays the request but does not
    fail it;
  - a validation that finds the archive and the catalogue disagree fails the request, the
    catalogue records where and why, and the request can be sent through again from there;
  - the SEC API is never asked during a rehearsal.

  Rule: an SEC API that stays unavailable fails the request once every try is spent

    Scenario: the SEC API is unavailable at every try
      Given a rehearsal in which the SEC API stays unavailable
      When an analyst's request for the latest 10-K filing of CIK 320193 is rehearsed
      Then the request has failed at fetching the filing because the SEC API is unavailable
      And fetching the filing was tried 4 times without asking the SEC API
      And the request can be sent through again from where it failed

  Rule: a passing throttle of the SEC API delays a request but does not fail it

    Scenario: the SEC API turns the pipeline away twice, then answers
      Given a rehearsal in which the SEC API turns the pipeline away twice as too many, then answers
      # A company no other scenario asks about, so no other scenario's query counts as this one's.
      When an analyst's request for the latest 10-Q filing of CIK 1045810 is rehearsed
      Then the rehearsed request is complete
      And fetching the filing was tried 3 times without asking the SEC API

  Rule: an archive that does not match its catalogue fails the request at validation

    Scenario: validation finds the archive and the catalogue disagree
      Given a rehearsal in which the archive and the catalogue disagree
      When an analyst's request for the latest 10-K filing of CIK 789019 is rehearsed
      Then the request has failed at validating the archive because the archive and the catalogue disagree
      And the request can be sent through again from where it failed
