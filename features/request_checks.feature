Feature: Bad requests and altered archives are caught, and nothing is lost

  The pipeline refuses what it cannot trust. A request it cannot read is set aside whole, with
  the reason, for an operator to look at; it never starts a run of the pipeline. An archived
  filing that no longer matches its catalogue entry fails the request at validation.

  Acceptance criteria:
  - a malformed request is set aside for an operator with the reason, and nothing else happens;
  - a filing altered in the archive after it was fetched fails validation, and the catalogue
    records the failure.

  Rule: a request the pipeline cannot read is set aside, not dropped

    Scenario: a request that names no company
      Given an analyst sends a request that names no company
      When the request is processed
      Then the request is set aside for an operator because it names no company
      And nothing is recorded for it

  Rule: the archive and the catalogue must agree

    @app_control
    Scenario: a filing altered in the archive fails validation
      Given the latest 10-K filing of CIK 320193 has been fetched and archived for an analyst, but not yet validated
      When someone alters the archived filing
      And validation goes ahead
      Then the request has failed at validating the archive because the archive and the catalogue disagree
