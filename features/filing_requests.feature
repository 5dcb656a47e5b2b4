Feature: Filing requests are fetched, archived and catalogued

  Analysts request a company's filings of one form type. The pipeline fetches them from the
  SEC API, archives each filing in S3 and catalogues it in DynamoDB, and checks that the
  archive and the catalogue agree before it calls the request complete.

  Acceptance criteria:
  - a request for a known company ends complete, with each filing archived and catalogued;
  - a request the SEC API cannot serve ends failed, and the catalogue says where and why;
  - a passing throttle of the SEC API delays a request but does not fail it.

  Rule: a request for a known company completes

    Scenario: the latest annual report of Apple is archived and catalogued
      Given an analyst requests the latest 10-K filing of CIK 320193
      When the request is processed
      Then the request is complete
      And the filing 0000320193-25-000079 is archived and catalogued

    Scenario: the latest quarterly report of Tesla is archived and catalogued
      Given an analyst requests the latest 10-Q filing of CIK 1318605
      When the request is processed
      Then the request is complete
      And the filing 0001628280-25-045968 is archived and catalogued

  Rule: a request that cannot be served is recorded as failed, with the reason

    Scenario: an unknown company
      Given an analyst requests the latest 10-K filing of CIK 9999999999
      When the request is processed
      Then the request has failed at fetching the filing because the company is unknown
      And no filing is archived

    Scenario: the SEC API refuses the pipeline's key
      Given the SEC API key the pipeline holds is wrong
      And an analyst requests the latest 10-K filing of CIK 789019
      When the request is processed
      Then the request has failed at fetching the filing because the SEC API refused the key
      And no filing is archived

  Rule: the SEC API may throttle the pipeline for a while without failing a request

    Scenario: the SEC API throttles, then recovers, and the request still completes
      Given the SEC API turns away the next 2 queries about CIK 1318605 as too many
      And an analyst requests the latest 10-K filing of CIK 1318605
      When the request is processed
      Then the request is complete
      And the SEC API was asked 3 times about CIK 1318605
