Feature: Every document of a stored data set is processed in parallel

  A team keeps large data sets in S3: a list of documents in a CSV or JSON Lines file, or a
  folder of documents. A workflow processes each document in a child workflow of its own, many
  at a time, and stores the result of each next to the data set, with a manifest that names the
  result files. A few documents that cannot be read may be tolerated; past the tolerated share,
  the whole run fails and says so.

  Acceptance criteria:
  - every row of a stored list, and every object of a stored folder, is processed exactly once;
  - the results of the processed documents, and the errors of the failed ones, are stored;
  - failures within the tolerated percentage leave the run successful; more fail it;
  - the run is recorded with how many documents it handled and how many failed.

  Rule: every document of the data set is processed once

    Scenario: a list stored as a CSV file
      Given a list of 5 documents stored as a CSV file
      When a workflow processes every document in parallel
      Then every document has been processed once, and the results are stored

    Scenario: a folder of documents
      Given 4 documents stored under one folder
      When a workflow processes every document in parallel
      Then every document has been processed once, and the results are stored

  Rule: documents that cannot be read are tolerated up to a share of the data set

    Scenario: two unreadable documents in ten, with a fifth tolerated
      Given a list of 10 documents stored as JSON Lines, 2 of them unreadable
      When a workflow processes every document in parallel, tolerating 20 percent of failures
      Then the processing succeeds with 8 documents processed and 2 failed
      And the run is recorded with 10 documents, 2 of them failed

    Scenario: two unreadable documents in ten, with a tenth tolerated
      Given a list of 10 documents stored as JSON Lines, 2 of them unreadable
      When a workflow processes every document in parallel, tolerating 10 percent of failures
      Then the processing fails because too many documents failed
