@fails_on_purpose
Feature: What a failing scenario looks like

  This scenario fails on purpose, to show what a failure report holds: the state that failed,
  its error and cause, the path the run of the pipeline took, and the last lines of the app's log. It is
  left out of every run by default; run it with `behave --tags=@fails_on_purpose`.

  Rule: a request for an unknown company fails (this scenario wrongly expects it to complete)

    Scenario: an unknown company is expected, wrongly, to complete
      Given an analyst requests the latest 10-K filing of CIK 9999999999
      When the request is processed
      Then the request is complete
