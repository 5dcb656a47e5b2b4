Feature: Orders are approved or rejected, and every decision is recorded

  An order's lines are priced and added up. Orders up to 1000 are approved at once; larger ones
  go to the approver, who approves them up to 5000. An approved large order waits out a
  cooling-off period. Every decision is recorded with the order's total.

  Rule: small orders are approved without asking anyone

    Scenario: three books are approved at once
      When a customer orders 3 books at 12.50 each
      Then the order is approved
      And the decision is recorded with a total of 37.5

  Rule: large orders are decided by the approver

    Scenario: two laptops are approved by the approver
      When a customer orders 2 laptops at 1500 each
      Then the approver was asked
      And the order is approved

    Scenario: ten laptops are more than the approver may approve
      When a customer orders 10 laptops at 1500 each
      Then the order is rejected
      And the decision is recorded with a total of 15000
