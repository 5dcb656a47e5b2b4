Feature: Hostile messages and answers the pipeline cannot trust change nothing

  Anyone who can write to the pipeline's queues or start it, and an SEC API that misbehaves,
  must not be able to rewrite a request, plant files in the archive or keep a request waiting
  for ever. The pipeline refuses them with the reason and leaves what it already did as it was.

  Acceptance criteria:
  - a request cannot be rewritten by a second message: once a request is complete, its archived
    copy and its catalogue entry stay as they were, whatever arrives later under its id;
  - an answer the pipeline cannot trust is refused, and nothing is archived: a filing number that
    is not an accession number, more filings than were asked for, a filing without a number or
    one far too large fails the request because the SEC API's answer cannot be trusted;
  - an SEC API that takes a query and never answers fails the request in time, as unavailable.

  Rule: a request cannot be rewritten by a second message

    Scenario: the pipeline is started again for a completed request, for another company
      Given an analyst's request for the latest 10-K filing of CIK 320193 is complete
      When the pipeline is started again under the same request id for CIK 1318605
      Then that second run fails at ingesting the request because the request id is taken
      And the completed request is as it was, in the archive and in the catalogue

  Rule: an answer the pipeline cannot trust is refused, and nothing is archived

    Scenario Outline: the SEC API answers with <answer>
      Given the SEC API answers queries about CIK 789019 with <answer>
      And an analyst requests the latest 10-K filing of CIK 789019
      When the request is processed
      Then the request has failed at fetching the filing because the SEC API's answer cannot be trusted
      And no filing is archived

      Examples:
        | answer                                        |
        | a filing number that climbs out of its folder |
        | a filing number that is not text              |
        | a filing without a number                     |
        | far more filings than were asked for          |
        | a filing far too large                        |

  Rule: an SEC API that never answers fails the request in time

    Scenario: the SEC API takes the query and never answers
      Given the SEC API holds every query about CIK 1318605 without answering
      And an analyst requests the latest 10-K filing of CIK 1318605
      When the request is processed
      Then the request has failed at fetching the filing because the SEC API is unavailable
      And no filing is archived
