# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/buckets init -backend=false && terraform -chdir=terraform/modules/buckets test

mock_provider "aws" {
  override_during = plan

  # The provider validates policy arguments even when mocked, so generated policies must be JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mock-bucket"
    }
  }
}

variables {
  source_bucket_name = "thumbs-source"
  output_bucket_name = "thumbs-output"
  queue_arn          = "arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications"
  queue_policy_id    = "https://sqs.eu-west-1.amazonaws.com/111122223333/thumbs-notifications"
}

run "one_rule_per_extension_in_both_cases" {
  command = plan

  assert {
    condition = toset([for q in aws_s3_bucket_notification.source.queue : q.filter_suffix]) == toset([
      ".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff",
      ".JPG", ".JPEG", ".PNG", ".WEBP", ".GIF", ".AVIF", ".TIF", ".TIFF",
    ])
    error_message = "Every image extension must have one rule, in lower and upper case."
  }

  assert {
    condition     = length(aws_s3_bucket_notification.source.queue) == 16
    error_message = "There must be exactly one rule per suffix."
  }

  assert {
    condition     = length(distinct([for q in aws_s3_bucket_notification.source.queue : q.id])) == 16
    error_message = "Rule ids must be unique."
  }

  assert {
    condition     = alltrue([for id in ["thumbnails-jpg", "thumbnails-JPG", "thumbnails-tiff"] : contains([for q in aws_s3_bucket_notification.source.queue : q.id], id)])
    error_message = "Rule ids must read thumbnails-<extension>, as the local stack names them."
  }

  assert {
    condition = alltrue([for q in aws_s3_bucket_notification.source.queue :
      q.queue_arn == var.queue_arn && toset(q.events) == toset(["s3:ObjectCreated:*"]) && q.filter_prefix == null
    ])
    error_message = "Every rule must send s3:ObjectCreated:* to the queue, with no prefix by default."
  }

  assert {
    condition     = aws_s3_bucket_notification.source.bucket == "thumbs-source"
    error_message = "Notifications must be configured on the source bucket only."
  }
}

run "no_two_rules_overlap" {
  command = plan

  # S3 rejects a configuration in which one rule's suffix ends with another's (same prefix, same events).
  assert {
    condition = alltrue(flatten([for a in output.notification_suffixes : [
      for b in output.notification_suffixes : a == b || !endswith(a, b)
    ]]))
    error_message = "A notification suffix ends with another one: S3 would reject the overlapping filters."
  }
}

run "prefix_applies_to_every_rule" {
  command = plan

  variables {
    source_prefix              = "uploads/"
    include_uppercase_suffixes = false
  }

  assert {
    condition     = length(aws_s3_bucket_notification.source.queue) == 8
    error_message = "Without uppercase variants there must be one rule per listed suffix."
  }

  assert {
    condition     = alltrue([for q in aws_s3_bucket_notification.source.queue : q.filter_prefix == "uploads/"])
    error_message = "Every rule must filter on the source prefix."
  }
}

run "both_buckets_are_private_encrypted_owner_enforced_and_tls_only" {
  command = plan

  assert {
    condition     = toset(keys(aws_s3_bucket.this)) == toset(["source", "output"]) && aws_s3_bucket.this["output"].bucket == "thumbs-output"
    error_message = "There must be a source and a separate output bucket."
  }

  assert {
    condition = length(aws_s3_bucket_public_access_block.this) == 2 && alltrue([for b in aws_s3_bucket_public_access_block.this :
      b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets
    ])
    error_message = "Both buckets must block every kind of public access."
  }

  assert {
    condition = length(aws_s3_bucket_ownership_controls.this) == 2 && alltrue([for c in aws_s3_bucket_ownership_controls.this :
      c.rule[0].object_ownership == "BucketOwnerEnforced"
    ])
    error_message = "Both buckets must disable ACLs (BucketOwnerEnforced)."
  }

  assert {
    condition = length(aws_s3_bucket_server_side_encryption_configuration.this) == 2 && alltrue([for c in aws_s3_bucket_server_side_encryption_configuration.this :
      alltrue([for r in c.rule : r.apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"])
    ])
    error_message = "Both buckets must encrypt objects at rest."
  }

  assert {
    condition = length(data.aws_iam_policy_document.tls_only) == 2 && alltrue([for d in data.aws_iam_policy_document.tls_only :
      anytrue([for s in d.statement :
        s.effect == "Deny" && contains(s.actions, "s3:*")
        && anytrue([for c in s.condition : c.variable == "aws:SecureTransport" && contains(c.values, "false")])
      ])
    ])
    error_message = "Both bucket policies must deny requests without TLS."
  }
}

run "output_bucket_must_not_be_the_source_bucket" {
  command = plan

  variables {
    output_bucket_name = "thumbs-source"
  }

  expect_failures = [var.output_bucket_name]
}

run "repeated_suffix_is_rejected" {
  command = plan

  variables {
    image_suffixes = [".jpg", ".png", ".jpg"]
  }

  expect_failures = [var.image_suffixes]
}

run "suffix_without_dot_is_rejected" {
  command = plan

  variables {
    image_suffixes = ["jpg"]
  }

  expect_failures = [var.image_suffixes]
}

run "prefix_with_leading_slash_is_rejected" {
  command = plan

  variables {
    source_prefix = "/uploads/"
  }

  expect_failures = [var.source_prefix]
}
