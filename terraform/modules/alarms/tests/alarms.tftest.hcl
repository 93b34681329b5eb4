# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/alarms init -backend=false && terraform -chdir=terraform/modules/alarms test

mock_provider "aws" {
  override_during = plan

  # The provider validates policy arguments even when mocked, so generated policies must be JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111122223333"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_region" {
    defaults = {
      id = "eu-west-1"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:111122223333:thumbs-alarms"
    }
  }
}

variables {
  name_prefix   = "thumbs"
  queue_name    = "thumbs-notifications"
  dlq_name      = "thumbs-notifications-dlq"
  function_name = "thumbs-thumbnailer"
}

run "five_alarms_watch_queue_dlq_function_and_latency" {
  command = plan

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.this)) == toset(["dlq-not-empty", "oldest-message-age", "function-errors", "function-throttles", "notification-latency"])
    error_message = "The module must create the five alarms."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["dlq-not-empty"].metric_name == "ApproximateNumberOfMessagesVisible"
      && aws_cloudwatch_metric_alarm.this["dlq-not-empty"].dimensions["QueueName"] == "thumbs-notifications-dlq"
      && aws_cloudwatch_metric_alarm.this["dlq-not-empty"].comparison_operator == "GreaterThanThreshold"
      && aws_cloudwatch_metric_alarm.this["dlq-not-empty"].threshold == 0
    )
    error_message = "Any message in the dead-letter queue must raise an alarm."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["oldest-message-age"].metric_name == "ApproximateAgeOfOldestMessage"
      && aws_cloudwatch_metric_alarm.this["oldest-message-age"].dimensions["QueueName"] == "thumbs-notifications"
      && aws_cloudwatch_metric_alarm.this["oldest-message-age"].threshold == 600
    )
    error_message = "The age of the oldest queued notification must be watched, 600 s by default."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["function-errors"].metric_name == "Errors"
      && aws_cloudwatch_metric_alarm.this["function-throttles"].metric_name == "Throttles"
      && aws_cloudwatch_metric_alarm.this["function-errors"].dimensions["FunctionName"] == "thumbs-thumbnailer"
      && aws_cloudwatch_metric_alarm.this["function-throttles"].dimensions["FunctionName"] == "thumbs-thumbnailer"
    )
    error_message = "The function's errors and throttles must be watched."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["notification-latency"].namespace == "ImagePattern"
      && aws_cloudwatch_metric_alarm.this["notification-latency"].metric_name == "NotificationLatency"
      && aws_cloudwatch_metric_alarm.this["notification-latency"].unit == "Milliseconds"
      && aws_cloudwatch_metric_alarm.this["notification-latency"].extended_statistic == "p95"
      && aws_cloudwatch_metric_alarm.this["notification-latency"].dimensions == tomap({ service = "imagepattern" })
    )
    error_message = "Notification latency must be read from the function's EMF metric (namespace, name, unit, service dimension)."
  }

  assert {
    condition     = length(module.topic) == 0 && alltrue([for a in aws_cloudwatch_metric_alarm.this : length(a.alarm_actions) == 0])
    error_message = "Without a topic there must be no topic and no alarm actions."
  }
}

run "created_topic_is_encrypted_and_receives_every_alarm" {
  command = plan

  variables {
    create_topic = true
  }

  assert {
    condition     = length(module.topic) == 1 && module.topic[0].name == "thumbs-alarms" && module.topic[0].key_arn == "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    error_message = "The created topic must be encrypted with its own key."
  }

  # The key's rotation, and how these inputs become the key and topic policies, are modules/encrypted_topic's tests.
  assert {
    condition     = module.topic[0].publisher.service == "cloudwatch.amazonaws.com" && module.topic[0].publisher.source_account_id == "111122223333"
    error_message = "The topic and its key must be for CloudWatch acting for this account."
  }

  assert {
    condition = alltrue([for a in aws_cloudwatch_metric_alarm.this :
      toset(a.alarm_actions) == toset(["arn:aws:sns:eu-west-1:111122223333:thumbs-alarms"])
      && toset(a.ok_actions) == toset(["arn:aws:sns:eu-west-1:111122223333:thumbs-alarms"])
    ])
    error_message = "Every alarm must notify the topic when it fires and when it recovers."
  }

  assert {
    condition     = module.topic[0].publisher.source_arn_match == "ArnLike" && tolist(module.topic[0].publisher.source_arns) == tolist(["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:thumbs-*"])
    error_message = "Only this stack's alarms may publish to the topic."
  }

  assert {
    condition     = !module.topic[0].publisher.key_requires_source_arn
    error_message = "CloudWatch may use the topic key only on behalf of this account (aws:SourceAccount)."
  }

  assert {
    condition     = tolist(module.topic[0].tls_only_statement.Resource) == tolist([module.topic[0].arn])
    error_message = "The topic policy must include the shared TLS-only deny, for this topic."
  }

  assert {
    condition = jsonencode(module.topic[0].tls_only_statement) == jsonencode({
      Sid      = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = ["sns:*"],
      Resource = ["arn:aws:sns:eu-west-1:111122223333:thumbs-alarms"], Condition = { Bool = { "aws:SecureTransport" = "false" } }
    })
    error_message = "Requests to the alarm topic without TLS must be denied."
  }
}

run "existing_topic_receives_every_alarm" {
  command = plan

  variables {
    topic_arn = "arn:aws:sns:eu-west-1:111122223333:ops-pager"
  }

  assert {
    condition     = length(module.topic) == 0 && alltrue([for a in aws_cloudwatch_metric_alarm.this : toset(a.alarm_actions) == toset(["arn:aws:sns:eu-west-1:111122223333:ops-pager"])])
    error_message = "A passed topic must receive the alarms and no topic may be created."
  }
}

run "creating_a_topic_and_passing_one_is_rejected" {
  command = plan

  variables {
    create_topic = true
    topic_arn    = "arn:aws:sns:eu-west-1:111122223333:ops-pager"
  }

  expect_failures = [var.topic_arn]
}
