# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/tasks_table init -backend=false && terraform -chdir=terraform/modules/tasks_table test

mock_provider "aws" {
  override_during = plan
}

variables {
  name = "thumbs-tasks"
}

run "table_matches_the_task_ledger_contract" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.hash_key == "pk"
    error_message = "The partition key must be pk."
  }

  assert {
    condition     = [for a in aws_dynamodb_table.this.attribute : [a.name, a.type]] == [["pk", "S"]]
    error_message = "pk must be the only declared attribute, a string."
  }

  assert {
    condition     = aws_dynamodb_table.this.ttl[0].attribute_name == "expires_at" && aws_dynamodb_table.this.ttl[0].enabled
    error_message = "TTL must be enabled on expires_at."
  }
}

run "table_is_on_demand_recoverable_and_encrypted" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "The table must be on-demand."
  }

  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    error_message = "Point-in-time recovery must be on."
  }

  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled
    error_message = "Encryption at rest must be on."
  }

  assert {
    condition     = !aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "Deletion protection must be off by default, so make destroy works."
  }
}

run "too_short_a_name_is_rejected" {
  command = plan

  variables {
    name = "ab"
  }

  expect_failures = [var.name]
}
