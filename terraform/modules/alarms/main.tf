data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  alarm_arn_prefix = join(":", [
    "arn", data.aws_partition.current.partition, "cloudwatch", data.aws_region.current.id, local.account_id, "alarm", var.name_prefix,
  ])

  topic_arn     = var.create_topic ? module.topic[0].arn : var.topic_arn
  alarm_actions = local.topic_arn == null ? [] : [local.topic_arn]

  # One entry per alarm; statistic and extended_statistic are exclusive, so one of them is null.
  alarms = {
    dlq-not-empty = {
      description        = "Messages reached the dead-letter queue ${var.dlq_name}: each was received maxReceiveCount times without success. Inspect them, fix the cause, then redrive."
      namespace          = "AWS/SQS"
      metric_name        = "ApproximateNumberOfMessagesVisible"
      dimensions         = { QueueName = var.dlq_name }
      statistic          = "Maximum"
      extended_statistic = null
      unit               = null
      period             = 60
      evaluation_periods = 1
      comparison         = "GreaterThanThreshold"
      threshold          = 0
    }
    oldest-message-age = {
      description        = "The oldest message in ${var.queue_name} has waited ${var.oldest_message_age_threshold_seconds} s or more: the function is failing or not keeping up."
      namespace          = "AWS/SQS"
      metric_name        = "ApproximateAgeOfOldestMessage"
      dimensions         = { QueueName = var.queue_name }
      statistic          = "Maximum"
      extended_statistic = null
      unit               = null
      period             = 60
      evaluation_periods = 5
      comparison         = "GreaterThanOrEqualToThreshold"
      threshold          = var.oldest_message_age_threshold_seconds
    }
    function-errors = {
      description        = "Invocations of ${var.function_name} failed as a whole (crash, timeout, bad configuration)."
      namespace          = "AWS/Lambda"
      metric_name        = "Errors"
      dimensions         = { FunctionName = var.function_name }
      statistic          = "Sum"
      extended_statistic = null
      unit               = null
      period             = 300
      evaluation_periods = 1
      comparison         = "GreaterThanThreshold"
      threshold          = var.function_errors_threshold
    }
    function-throttles = {
      description        = "Invocations of ${var.function_name} were throttled: account concurrency is exhausted or reserved too low."
      namespace          = "AWS/Lambda"
      metric_name        = "Throttles"
      dimensions         = { FunctionName = var.function_name }
      statistic          = "Sum"
      extended_statistic = null
      unit               = null
      period             = 300
      evaluation_periods = 1
      comparison         = "GreaterThanThreshold"
      threshold          = var.function_throttles_threshold
    }
    notification-latency = {
      description        = "p95 time from upload to processing exceeded ${var.notification_latency_threshold_ms} ms for 15 minutes (metric NotificationLatency, emitted by the function)."
      namespace          = var.metrics_namespace
      metric_name        = "NotificationLatency"
      dimensions         = { service = var.service_name }
      statistic          = null
      extended_statistic = "p95"
      unit               = "Milliseconds"
      period             = 300
      evaluation_periods = 3
      comparison         = "GreaterThanThreshold"
      threshold          = var.notification_latency_threshold_ms
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  unit                = each.value.unit
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  # No data means no traffic (or no failures), which is healthy for every alarm here.
  treat_missing_data = "notBreaching"
  alarm_actions      = local.alarm_actions
  ok_actions         = local.alarm_actions
  tags               = var.tags
}

# CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, so the topic gets its own key whose
# policy lets CloudWatch use it on behalf of this account only (its requests to KMS carry no source ARN), and a
# topic policy that lets only this stack's alarms publish.
module "topic" {
  source = "../encrypted_topic"
  count  = var.create_topic ? 1 : 0

  name                    = "${var.name_prefix}-alarms"
  publisher_service       = "cloudwatch.amazonaws.com"
  source_account_id       = local.account_id
  source_arns             = ["${local.alarm_arn_prefix}-*"]
  source_arn_match        = "ArnLike"
  key_requires_source_arn = false
  # The statements keep the names they had before the module existed, so the policies do not change.
  statement_ids = { key = "CloudWatchPublishesEncrypted", topic = "CloudWatchAlarmsPublish" }
  tags          = var.tags
}
