locals {
  # Both buckets get the same hardening; sub-resources refer to aws_s3_bucket.this[each.key] directly,
  # which is also what static scanners follow to tie a public access block or encryption to its bucket.
  buckets = {
    source = var.source_bucket_name
    output = var.output_bucket_name
  }

  # One rule per suffix: a rule holds one suffix, and suffixes that do not end with one another never overlap.
  notification_suffixes = toset(concat(
    var.image_suffixes,
    var.include_uppercase_suffixes ? [for s in var.image_suffixes : upper(s)] : [],
  ))
}

resource "aws_s3_bucket" "this" {
  for_each = local.buckets

  bucket        = each.value
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.buckets

  bucket                  = aws_s3_bucket.this[each.key].bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  for_each = local.buckets

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[each.key].arn, "${aws_s3_bucket.this[each.key].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket
  policy = data.aws_iam_policy_document.tls_only[each.key].json

  # S3 rejects policy writes that race the public access block on a new bucket.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_notification" "source" {
  bucket = aws_s3_bucket.this["source"].bucket

  dynamic "queue" {
    for_each = local.notification_suffixes

    content {
      id            = "thumbnails${replace(queue.value, ".", "-")}"
      queue_arn     = var.queue_arn
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = var.source_prefix == "" ? null : var.source_prefix
      filter_suffix = queue.value
    }
  }

  # S3 sends a test message to the queue when the notification is saved; without the
  # queue policy in place that send is refused and so is the whole configuration.
  depends_on = [var.queue_policy_id]
}
