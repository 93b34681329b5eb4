# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/queue init -backend=false && terraform -chdir=terraform/modules/queue test

mock_provider "aws" {
  # Mocked computed values (ARNs, URLs) are known during plan, so the assertions can see them.
  override_during = plan

  # The provider validates policy arguments even when mocked, so generated policies must be JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

override_resource {
  target          = aws_sqs_queue.main
  override_during = plan
  values = {
    arn = "arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications"
    url = "https://sqs.eu-west-1.amazonaws.com/111122223333/thumbs-notifications"
  }
}

override_resource {
  target          = aws_sqs_queue.dlq
  override_during = plan
  values = {
    arn = "arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/111122223333/thumbs-notifications-dlq"
  }
}

variables {
  name                     = "thumbs-notifications"
  function_timeout_seconds = 60
  sender_arn               = "arn:aws:s3:::thumbs-source"
  source_account_id        = "111122223333"
}

run "visibility_timeout_is_six_function_timeouts_by_default" {
  command = plan

  assert {
    condition     = aws_sqs_queue.main.visibility_timeout_seconds == 360
    error_message = "With a 60 s function timeout and no batching window the visibility timeout must be 360 s."
  }

  assert {
    condition     = output.visibility_timeout_seconds == aws_sqs_queue.main.visibility_timeout_seconds
    error_message = "The module must report the visibility timeout it set."
  }
}

run "visibility_timeout_adds_the_batching_window" {
  command = plan

  variables {
    function_timeout_seconds = 120
    batching_window_seconds  = 20
  }

  assert {
    condition     = aws_sqs_queue.main.visibility_timeout_seconds == 6 * 120 + 20
    error_message = "The visibility timeout must be 6 x function timeout + batching window."
  }
}

run "dead_letter_queue_takes_messages_after_max_receive_count" {
  command = plan

  assert {
    condition     = jsondecode(aws_sqs_queue.main.redrive_policy).maxReceiveCount == 5
    error_message = "maxReceiveCount must default to 5."
  }

  assert {
    condition     = jsondecode(aws_sqs_queue.main.redrive_policy).deadLetterTargetArn == aws_sqs_queue.dlq.arn
    error_message = "The redrive policy must target the module's dead-letter queue."
  }

  assert {
    condition     = aws_sqs_queue.dlq.message_retention_seconds == 1209600
    error_message = "The dead-letter queue must keep messages for 14 days."
  }

  assert {
    condition = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq.redrive_allow_policy) == {
      redrivePermission = "byQueue"
      sourceQueueArns   = [aws_sqs_queue.main.arn]
    }
    error_message = "Only the notification queue may redrive into the dead-letter queue."
  }
}

run "max_receive_count_is_configurable" {
  command = plan

  variables {
    max_receive_count = 3
  }

  assert {
    condition     = jsondecode(aws_sqs_queue.main.redrive_policy).maxReceiveCount == 3
    error_message = "max_receive_count must reach the redrive policy."
  }
}

run "both_queues_are_encrypted" {
  command = plan

  assert {
    condition     = aws_sqs_queue.main.sqs_managed_sse_enabled && aws_sqs_queue.dlq.sqs_managed_sse_enabled
    error_message = "Both queues must use SSE-SQS."
  }
}

run "only_the_source_bucket_may_send_and_only_over_tls" {
  command = plan

  assert {
    condition     = length(data.aws_iam_policy_document.main.statement) == 1
    error_message = "The queue policy must hold exactly one allow (the TLS deny comes from the shared module)."
  }

  assert {
    condition = anytrue([for s in data.aws_iam_policy_document.main.statement :
      s.effect == "Allow"
      && toset(s.actions) == toset(["sqs:SendMessage"])
      && toset(s.resources) == toset([aws_sqs_queue.main.arn])
      && anytrue([for p in s.principals : p.type == "Service" && toset(p.identifiers) == toset(["s3.amazonaws.com"])])
      && anytrue([for c in s.condition : c.test == "ArnEquals" && c.variable == "aws:SourceArn" && tolist(c.values) == tolist(["arn:aws:s3:::thumbs-source"])])
      && anytrue([for c in s.condition : c.test == "StringEquals" && c.variable == "aws:SourceAccount" && tolist(c.values) == tolist(["111122223333"])])
    ])
    error_message = "sqs:SendMessage must be allowed to s3.amazonaws.com only, conditioned on the source bucket ARN and account."
  }

  assert {
    condition     = tolist(data.aws_iam_policy_document.main.source_policy_documents) == tolist([module.deny_insecure_transport["main"].json])
    error_message = "The queue policy must include the shared TLS-only deny."
  }

  assert {
    condition = jsonencode(module.deny_insecure_transport["main"].statement) == jsonencode({
      Sid      = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = ["sqs:*"],
      Resource = ["arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications"], Condition = { Bool = { "aws:SecureTransport" = "false" } }
    })
    error_message = "Requests to the queue without TLS must be denied."
  }

  assert {
    condition     = aws_sqs_queue_policy.dlq.policy == module.deny_insecure_transport["dlq"].json && jsondecode(aws_sqs_queue_policy.dlq.policy).Statement[0].Resource == ["arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications-dlq"]
    error_message = "The dead-letter queue's policy must be the TLS-only deny on the dead-letter queue."
  }
}

run "a_topic_sends_in_the_sns_fanout_trigger" {
  command = plan

  variables {
    sender_service = "sns.amazonaws.com"
    sender_arn     = "arn:aws:sns:eu-west-1:111122223333:thumbs-uploads"
  }

  assert {
    condition = jsonencode(one([for s in data.aws_iam_policy_document.main.statement : [
      flatten([for p in s.principals : p.identifiers]),
      [for c in s.condition : [c.variable, c.values]],
    ]])) == jsonencode([["sns.amazonaws.com"], [["aws:SourceArn", ["arn:aws:sns:eu-west-1:111122223333:thumbs-uploads"]]]])
    error_message = "With SNS as sender, only sns.amazonaws.com may send, on behalf of that topic only."
  }
}

run "a_rule_sends_in_the_eventbridge_trigger" {
  command = plan

  variables {
    sender_service = "events.amazonaws.com"
    sender_arn     = "arn:aws:events:eu-west-1:111122223333:rule/thumbs-thumbnails"
  }

  assert {
    condition = jsonencode(one([for s in data.aws_iam_policy_document.main.statement : [
      flatten([for p in s.principals : p.identifiers]),
      [for c in s.condition : [c.variable, c.values]],
    ]])) == jsonencode([["events.amazonaws.com"], [["aws:SourceArn", ["arn:aws:events:eu-west-1:111122223333:rule/thumbs-thumbnails"]]]])
    error_message = "With EventBridge as sender, only events.amazonaws.com may send, on behalf of that rule only."
  }
}

run "sender_arn_must_match_the_sender" {
  command = plan

  variables {
    sender_service = "sns.amazonaws.com"
  }

  expect_failures = [var.sender_arn]
}

run "max_receive_count_below_one_is_rejected" {
  command = plan

  variables {
    max_receive_count = 0
  }

  expect_failures = [var.max_receive_count]
}

run "function_timeout_above_lambda_maximum_is_rejected" {
  command = plan

  variables {
    function_timeout_seconds = 901
  }

  expect_failures = [var.function_timeout_seconds]
}

run "batching_window_above_five_minutes_is_rejected" {
  command = plan

  variables {
    batching_window_seconds = 301
  }

  expect_failures = [var.batching_window_seconds]
}

run "source_must_be_a_bucket_arn" {
  command = plan

  variables {
    sender_arn = "thumbs-source"
  }

  expect_failures = [var.sender_arn]
}

run "source_account_must_have_twelve_digits" {
  command = plan

  variables {
    source_account_id = "1111"
  }

  expect_failures = [var.source_account_id]
}
