Feature: Fetching a filing follows its retry and failure rules, checked one state at a time

  The rules of the fetching step are checked on the deployed definition itself, one state at a
  time, with Step Functions' TestState: the utilities app's answer is given in the test, so no
  app, queue or SEC API is involved and each check takes a moment.

  Acceptance criteria:
  - an SEC API that turns the pipeline away as too many, or is unavailable, is tried again, up to
    three more times;
  - after the last retry the request fails at the fetching step itself, with the SEC API's
    reason, so that sending it through again takes it up at that step;
  - an unknown company is not tried again: the request fails there at once;
  - the filings fetched go on to validation, kept with the request.

  Rule: a passing refusal of the SEC API is tried again, up to three more times

    Scenario Outline: the SEC API <refuses> at attempt <attempt>
      Given a request for the latest 10-K filing of CIK 320193 is at the fetching step
      When the SEC API <refuses> at fetching attempt <attempt>
      Then fetching the filing is to be tried again

      Examples:
        | refuses                                | attempt |
        | turns the pipeline away as too many    | 1       |
        | turns the pipeline away as too many    | 3       |
        | is unavailable                         | 2       |

    Scenario: on its fourth attempt a refusal of the SEC API fails the request at the fetching step
      Given a request for the latest 10-K filing of CIK 320193 is at the fetching step
      When the SEC API turns the pipeline away as too many at fetching attempt 4
      Then fetching the filing fails the request, to be taken up there again, because the SEC API turned the pipeline away as too many

  Rule: an unknown company is not tried again

    Scenario: the SEC API knows no such company
      Given a request for the latest 10-K filing of CIK 320193 is at the fetching step
      When the SEC API knows no such company at fetching attempt 1
      Then fetching the filing fails the request, to be taken up there again, because the company is unknown

  Rule: fetched filings go on to validation

    Scenario: the utilities app fetched two filings
      Given a request for the latest 10-K filing of CIK 320193 is at the fetching step
      When the utilities app answers that it fetched 2 filings
      Then fetching the filing passes the request on to validation with the 2 filings kept beside it
