Feature: Bad requests and altered archives are caught, and nothing is lost

  The pipeline refuses what it cannot trust. A request it cannot read is set aside whole, with
  the reason, for an operator to look at; it never starts an execution. An archived filing that
  no longer matches its catalogue entry fails the request at validation.

  Acceptance criteria:
  - a malformed request lands in the request dead-letter queue with the reason, and nothing
    else happens;
  - a filing altered in the archive after it was fetched fails validation, and the catalogue
    records the failure.

  Rule: a request the pipeline cannot read is set aside, not dropped

    Scenario: a request that names no company
      Given an analyst sends a request that names no company
      When the request is processed
      Then the request is set aside in the dead-letter queue because field 'cik' is missing
      And nothing is recorded for it

  Rule: the archive and the catalogue must agree

    @app_control
    Scenario: a filing altered in the archive fails validation
      Given the validator app is paused
      And an analyst requests the latest 10-K filing of CIK 320193
      And the filing has been fetched and archived
      When someone alters the archived filing
      And the validator app resumes
      Then the request has failed at validating the archive because the archive and the catalogue disagree
