locals {
  # Both buckets get the same hardening; sub-resources refer to aws_s3_bucket.this[each.key] directly,
  # which is also what static scanners follow to tie a public access block or encryption to its bucket.
  buckets = {
    source = var.source_bucket_name
    output = var.output_bucket_name
  }

  # Prefix-only rules: S3 suffix filters are case-sensitive (".jpg" misses "IMG_0001.JPG" and "x.Jpg"), so every
  # upload under the prefix is sent and the function keeps the keys whose extension is in IMAGE_SUFFIXES, in any
  # case, acknowledging the rest as Ignored. Every rule listens to the same events under the same prefix.
  notification_filter_prefix = var.source_prefix == "" ? null : var.source_prefix
  notification_destinations = concat(
    [for id, arn in var.notification_queue_arns : { id = id, kind = "queue", arn = arn }],
    var.notification_topic_arn == null ? [] : [{ id = "fanout", kind = "topic", arn = var.notification_topic_arn }],
  )

  # Lifecycle rules per bucket. Expirations apply under the bucket's own prefix only.
  lifecycle_rules = {
    source = concat(
      [{ id = "abort-incomplete-multipart-uploads", prefix = null, abort_days = 7, expiration_days = null, noncurrent_days = null }],
      var.source_expiration_days == null ? [] : [
        { id = "expire-originals", prefix = var.source_prefix, abort_days = null, expiration_days = var.source_expiration_days, noncurrent_days = null },
      ],
      var.source_versioning ? [
        { id = "expire-noncurrent-versions", prefix = null, abort_days = null, expiration_days = null, noncurrent_days = var.noncurrent_version_expiration_days },
      ] : [],
    )
    output = concat(
      [{ id = "abort-incomplete-multipart-uploads", prefix = null, abort_days = 7, expiration_days = null, noncurrent_days = null }],
      var.output_expiration_days == null ? [] : [
        { id = "expire-thumbnails", prefix = var.output_prefix, abort_days = null, expiration_days = var.output_expiration_days, noncurrent_days = null },
      ],
    )
  }
}

resource "aws_s3_bucket" "this" {
  for_each = local.buckets

  bucket        = each.value
  force_destroy = var.force_destroy
  tags          = var.tags
}

# A new bucket answers overlapping writes to its configuration with "A conflicting conditional operation is
# currently in progress", so the sub-resources are applied one after another, each waiting for the one before:
# public access block -> policy -> ownership -> encryption -> versioning -> lifecycle -> notification.
# (Versioning before lifecycle: a noncurrent-version rule belongs to a versioned bucket.) make validate checks
# this chain in `terraform graph`.
resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.buckets

  bucket                  = aws_s3_bucket.this[each.key].bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

module "deny_insecure_transport" {
  source   = "../deny_insecure_transport"
  for_each = local.buckets

  actions   = ["s3:*"]
  resources = [aws_s3_bucket.this[each.key].arn, "${aws_s3_bucket.this[each.key].arn}/*"]
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket
  policy = module.deny_insecure_transport[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket

  rule {
    object_ownership = "BucketOwnerEnforced"
  }

  depends_on = [aws_s3_bucket_policy.this]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }

  depends_on = [aws_s3_bucket_ownership_controls.this]
}

# Removing this resource (source_versioning = false after true) suspends versioning; S3 cannot turn it off.
resource "aws_s3_bucket_versioning" "source" {
  count = var.source_versioning ? 1 : 0

  bucket = aws_s3_bucket.this["source"].bucket

  versioning_configuration {
    status = "Enabled"
  }

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].bucket

  dynamic "rule" {
    for_each = local.lifecycle_rules[each.key]

    content {
      id     = rule.value.id
      status = "Enabled"

      filter {
        prefix = rule.value.prefix
      }

      dynamic "abort_incomplete_multipart_upload" {
        for_each = rule.value.abort_days == null ? [] : [rule.value.abort_days]

        content {
          days_after_initiation = abort_incomplete_multipart_upload.value
        }
      }

      dynamic "expiration" {
        for_each = rule.value.expiration_days == null ? [] : [rule.value.expiration_days]

        content {
          days = expiration.value
        }
      }

      dynamic "noncurrent_version_expiration" {
        for_each = rule.value.noncurrent_days == null ? [] : [rule.value.noncurrent_days]

        content {
          noncurrent_days = noncurrent_version_expiration.value
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.this, aws_s3_bucket_versioning.source]
}

resource "aws_s3_bucket_notification" "source" {
  bucket      = aws_s3_bucket.this["source"].bucket
  eventbridge = var.eventbridge

  dynamic "queue" {
    for_each = var.notification_queue_arns

    content {
      id            = queue.key
      queue_arn     = queue.value
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = local.notification_filter_prefix
    }
  }

  dynamic "topic" {
    for_each = var.notification_topic_arn == null ? [] : [var.notification_topic_arn]

    content {
      id            = "fanout"
      topic_arn     = topic.value
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = local.notification_filter_prefix
    }
  }

  lifecycle {
    # S3 refuses two rules whose filters overlap for the same event type, and rules that share a prefix always
    # overlap once there are no suffixes. One upload, several consumers: that is what the sns-fanout and
    # eventbridge triggers are for.
    precondition {
      condition     = length(local.notification_destinations) <= 1
      error_message = "The source bucket would need ${length(local.notification_destinations)} notification rules on the same prefix (${join(", ", [for d in local.notification_destinations : "${d.kind} ${d.id}"])}); S3 rejects overlapping rules. Send the uploads to one SNS topic or to EventBridge and fan out from there."
    }
  }

  # S3 sends a test message to each destination when the notification is saved: without the destination's
  # policy in place that send is refused, and so is the whole configuration. After the lifecycle: last in the
  # bucket's chain.
  depends_on = [var.notification_policy_ids, aws_s3_bucket_lifecycle_configuration.this]
}
