data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  alarm_arn_prefix = join(":", [
    "arn", data.aws_partition.current.partition, "cloudwatch", data.aws_region.current.id, local.account_id, "alarm", var.name_prefix,
  ])

  topic_arn     = var.create_topic ? aws_sns_topic.alarms[0].arn : var.topic_arn
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

# CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, so the topic gets
# its own key whose policy lets CloudWatch use it.
data "aws_iam_policy_document" "topic_key" {
  count = var.create_topic ? 1 : 0

  # The account keeps full control, as in the default key policy; without it the key could become unmanageable.
  statement {
    sid       = "AccountAdministersKey"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"]
    }
  }

  # Only on behalf of this account: without the condition, CloudWatch acting for any account could use the key.
  statement {
    sid       = "CloudWatchPublishesEncrypted"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "topic" {
  count = var.create_topic ? 1 : 0

  description             = "Encrypts the ${var.name_prefix}-alarms SNS topic."
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.topic_key[0].json
  tags                    = var.tags
}

resource "aws_sns_topic" "alarms" {
  count = var.create_topic ? 1 : 0

  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = aws_kms_key.topic[0].arn
  tags              = var.tags
}

module "deny_insecure_transport" {
  source = "../deny_insecure_transport"
  count  = var.create_topic ? 1 : 0

  actions   = ["sns:*"]
  resources = [aws_sns_topic.alarms[0].arn]
}

data "aws_iam_policy_document" "topic" {
  count = var.create_topic ? 1 : 0

  # TLS only, like the buckets and queues.
  source_policy_documents = [module.deny_insecure_transport[0].json]

  statement {
    sid       = "CloudWatchAlarmsPublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms[0].arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.alarm_arn_prefix}-*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  count = var.create_topic ? 1 : 0

  arn    = aws_sns_topic.alarms[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
}
