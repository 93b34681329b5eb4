data "aws_partition" "current" {}

# A topic encrypted with the AWS managed SNS key cannot be published to by S3 or CloudWatch: they need a customer
# managed key whose policy lets them use it. Its policy names one service, acting for one account (and, where the
# service's KMS requests carry it, for the given resources only).
data "aws_iam_policy_document" "key" {
  # The account keeps full control, as in the default key policy; without it the key could become unmanageable.
  statement {
    sid       = "AccountAdministersKey"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${var.source_account_id}:root"]
    }
  }

  statement {
    sid       = var.statement_ids.key
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = [var.publisher_service]
    }

    # Without it, the service acting for any account could use the key.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.source_account_id]
    }

    dynamic "condition" {
      for_each = var.key_requires_source_arn ? [var.source_arns] : []

      content {
        test     = var.source_arn_match
        variable = "aws:SourceArn"
        values   = condition.value
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encrypts the ${var.name} SNS topic."
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = var.tags
}

resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = aws_kms_key.this.arn
  tags              = var.tags
}

module "deny_insecure_transport" {
  source = "../deny_insecure_transport"

  actions   = ["sns:*"]
  resources = [aws_sns_topic.this.arn]
}

data "aws_iam_policy_document" "topic" {
  # TLS only, like the buckets and queues.
  source_policy_documents = [module.deny_insecure_transport.json]

  statement {
    sid       = var.statement_ids.topic
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "Service"
      identifiers = [var.publisher_service]
    }

    condition {
      test     = var.source_arn_match
      variable = "aws:SourceArn"
      values   = var.source_arns
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.source_account_id]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}
