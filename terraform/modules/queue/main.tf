locals {
  # Lambda's guidance for SQS sources: at least six times the function timeout plus the batching
  # window, so a message whose batch is still running is not handed to a second invocation.
  visibility_timeout_seconds = 6 * var.function_timeout_seconds + var.batching_window_seconds

  # Messages keep their original enqueue time in the dead-letter queue, so it keeps them for the maximum.
  dlq_message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq"
  message_retention_seconds = local.dlq_message_retention_seconds
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "main" {
  name                       = var.name
  visibility_timeout_seconds = local.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  receive_wait_time_seconds  = 20
  # SSE-SQS rather than a KMS key: S3 can deliver to it without a key policy.
  sqs_managed_sse_enabled = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags
}

# Only the notification queue may redrive into the dead-letter queue.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.url
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.main.arn]
  })
}

module "deny_insecure_transport" {
  source   = "../deny_insecure_transport"
  for_each = { main = aws_sqs_queue.main.arn, dlq = aws_sqs_queue.dlq.arn }

  actions   = ["sqs:*"]
  resources = [each.value]
}

# Only the one sender may send, and only on behalf of the one resource: S3 for the source bucket (and account),
# SNS for the fan-out topic, EventBridge for its rule.
data "aws_iam_policy_document" "main" {
  source_policy_documents = [module.deny_insecure_transport["main"].json]

  statement {
    sid       = "AllowNotificationsFromTheSender"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.main.arn]

    principals {
      type        = "Service"
      identifiers = [var.sender_service]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [var.sender_arn]
    }

    dynamic "condition" {
      for_each = var.sender_service == "s3.amazonaws.com" ? [var.source_account_id] : []

      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_sqs_queue_policy" "main" {
  queue_url = aws_sqs_queue.main.url
  policy    = data.aws_iam_policy_document.main.json
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.url
  policy    = module.deny_insecure_transport["dlq"].json
}
