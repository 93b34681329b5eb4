# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/encrypted_topic init -backend=false && terraform -chdir=terraform/modules/encrypted_topic test

mock_provider "aws" {
  override_during = plan

  # The provider validates policy arguments even when mocked, so generated policies must be JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:111122223333:thumbs-uploads"
    }
  }
}

# The sns-fanout caller: S3 publishes for one bucket, and the key asks for the bucket too.
variables {
  name              = "thumbs-uploads"
  publisher_service = "s3.amazonaws.com"
  source_account_id = "111122223333"
  source_arns       = ["arn:aws:s3:::thumbs-source"]
}

run "topic_is_encrypted_with_its_own_rotating_key" {
  command = plan

  assert {
    condition     = aws_sns_topic.this.name == "thumbs-uploads" && aws_sns_topic.this.kms_master_key_id == aws_kms_key.this.arn
    error_message = "The topic must be encrypted with the module's own key."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 7 && aws_kms_key.this.description == "Encrypts the thumbs-uploads SNS topic."
    error_message = "The key must rotate, wait 7 days before deletion and name its topic."
  }

  assert {
    condition     = output.arn == aws_sns_topic.this.arn && output.key_arn == aws_kms_key.this.arn && output.name == "thumbs-uploads"
    error_message = "The outputs must give the topic and key."
  }
}

# Statements in a comparable form: "<sid> <effect> <actions> <principal type> <principals> | <test> <key> <values> | ...".
run "key_lets_the_account_administer_and_only_the_service_use_it_for_the_account_and_source" {
  command = plan

  assert {
    condition = toset([for s in data.aws_iam_policy_document.key.statement : join(" | ", concat(
      ["${s.sid} ${s.effect} ${join(",", sort(s.actions))} ${join(" ", flatten([for p in s.principals : [p.type, sort(p.identifiers)]]))}"],
      sort([for c in s.condition : "${c.test} ${c.variable} ${join(",", c.values)}"]),
      ))]) == toset([
      "AccountAdministersKey Allow kms:* AWS arn:aws:iam::111122223333:root",
      "PublisherUsesKey Allow kms:Decrypt,kms:GenerateDataKey Service s3.amazonaws.com | ArnEquals aws:SourceArn arn:aws:s3:::thumbs-source | StringEquals aws:SourceAccount 111122223333",
    ])
    error_message = "The account must keep full control of the key, and only S3, for this account and this bucket (ArnEquals), may use it."
  }
}

run "topic_policy_is_tls_only_and_lets_only_the_service_publish_for_the_account_and_source" {
  command = plan

  assert {
    condition = [for s in data.aws_iam_policy_document.topic.statement : join(" | ", concat(
      ["${s.sid} ${s.effect} ${join(",", sort(s.actions))} ${join(" ", flatten([for p in s.principals : [p.type, sort(p.identifiers)]]))}"],
      sort([for c in s.condition : "${c.test} ${c.variable} ${join(",", c.values)}"]),
    ))] == ["PublisherPublishes Allow sns:Publish Service s3.amazonaws.com | ArnEquals aws:SourceArn arn:aws:s3:::thumbs-source | StringEquals aws:SourceAccount 111122223333"]
    error_message = "Only S3, for this account and this bucket, may publish."
  }

  assert {
    condition     = tolist(data.aws_iam_policy_document.topic.statement[0].resources) == tolist([aws_sns_topic.this.arn]) && aws_sns_topic_policy.this.arn == aws_sns_topic.this.arn
    error_message = "The policy must cover the topic and be attached to it."
  }

  assert {
    condition     = tolist(data.aws_iam_policy_document.topic.source_policy_documents) == tolist([module.deny_insecure_transport.json])
    error_message = "The topic policy must include the shared TLS-only deny."
  }

  assert {
    condition = jsonencode(module.deny_insecure_transport.statement) == jsonencode({
      Sid      = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = ["sns:*"],
      Resource = ["arn:aws:sns:eu-west-1:111122223333:thumbs-uploads"], Condition = { Bool = { "aws:SecureTransport" = "false" } }
    })
    error_message = "Requests to the topic without TLS must be denied."
  }
}

# The alarms caller: CloudWatch's KMS requests carry no source ARN, and the topic takes one stack's alarms by pattern.
run "cloudwatch_key_asks_for_the_account_only_and_the_topic_matches_a_pattern" {
  command = plan

  variables {
    name                    = "thumbs-alarms"
    publisher_service       = "cloudwatch.amazonaws.com"
    source_arns             = ["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:thumbs-*"]
    source_arn_match        = "ArnLike"
    key_requires_source_arn = false
    statement_ids           = { key = "CloudWatchPublishesEncrypted", topic = "CloudWatchAlarmsPublish" }
    tags                    = { Team = "ops" }
  }

  assert {
    condition = [for s in data.aws_iam_policy_document.key.statement : join(" | ", concat(
      ["${s.sid} ${join(" ", flatten([for p in s.principals : [p.type, sort(p.identifiers)]]))}"],
      sort([for c in s.condition : "${c.test} ${c.variable} ${join(",", c.values)}"]),
    )) if s.sid != "AccountAdministersKey"] == ["CloudWatchPublishesEncrypted Service cloudwatch.amazonaws.com | StringEquals aws:SourceAccount 111122223333"]
    error_message = "CloudWatch may use the key only on behalf of this account (aws:SourceAccount, no source ARN)."
  }

  assert {
    condition = [for s in data.aws_iam_policy_document.topic.statement : join(" | ", concat(
      ["${s.sid} ${join(" ", flatten([for p in s.principals : [p.type, sort(p.identifiers)]]))}"],
      sort([for c in s.condition : "${c.test} ${c.variable} ${join(",", c.values)}"]),
    ))] == ["CloudWatchAlarmsPublish Service cloudwatch.amazonaws.com | ArnLike aws:SourceArn arn:aws:cloudwatch:eu-west-1:111122223333:alarm:thumbs-* | StringEquals aws:SourceAccount 111122223333"]
    error_message = "Only this stack's alarms (ArnLike on the prefix) may publish, for this account."
  }

  assert {
    condition     = aws_sns_topic.this.tags == tomap({ Team = "ops" }) && aws_kms_key.this.tags == tomap({ Team = "ops" })
    error_message = "Tags must reach the topic and the key."
  }
}

run "a_wildcard_under_arn_equals_is_rejected" {
  command = plan

  variables {
    source_arns = ["arn:aws:s3:::thumbs-*"]
  }

  expect_failures = [var.source_arn_match]
}

run "no_source_arn_is_rejected" {
  command = plan

  variables {
    source_arns = []
  }

  expect_failures = [var.source_arns]
}

run "a_publisher_that_is_not_a_service_principal_is_rejected" {
  command = plan

  variables {
    publisher_service = "arn:aws:iam::111122223333:root"
  }

  expect_failures = [var.publisher_service]
}

run "an_account_that_is_not_an_account_id_is_rejected" {
  command = plan

  variables {
    source_account_id = "me"
  }

  expect_failures = [var.source_account_id]
}

run "a_statement_id_with_punctuation_is_rejected" {
  command = plan

  variables {
    statement_ids = { key = "Publisher-Uses-Key" }
  }

  expect_failures = [var.statement_ids]
}
