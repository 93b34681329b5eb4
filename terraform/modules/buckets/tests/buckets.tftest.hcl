# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/buckets init -backend=false && terraform -chdir=terraform/modules/buckets test

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mock-bucket"
    }
  }
}

variables {
  source_bucket_name      = "thumbs-source"
  output_bucket_name      = "thumbs-output"
  notification_queue_arns = { thumbnails = "arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications" }
  notification_policy_ids = ["https://sqs.eu-west-1.amazonaws.com/111122223333/thumbs-notifications"]
}

# S3 suffix filters are case-sensitive: a suffix rule for ".jpg" never sees "IMG_0001.JPG" or "x.Jpg". So the rule
# filters on the prefix only, and the function decides by IMAGE_SUFFIXES in any case.
run "one_prefix_only_rule_sends_every_upload_to_the_queue" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket_notification.source.queue) == 1 && length(aws_s3_bucket_notification.source.topic) == 0
    error_message = "There must be exactly one notification rule."
  }

  assert {
    condition = alltrue([for q in aws_s3_bucket_notification.source.queue :
      q.id == "thumbnails" && q.queue_arn == "arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications"
      && toset(q.events) == toset(["s3:ObjectCreated:*"]) && q.filter_prefix == null && q.filter_suffix == null
    ])
    error_message = "The rule must send s3:ObjectCreated:* to the queue with no prefix by default and never a suffix filter."
  }

  assert {
    condition     = aws_s3_bucket_notification.source.bucket == "thumbs-source" && !aws_s3_bucket_notification.source.eventbridge
    error_message = "Notifications must be configured on the source bucket only, without EventBridge by default."
  }
}

run "prefix_applies_to_the_rule" {
  command = plan

  variables {
    source_prefix = "uploads/"
  }

  assert {
    condition     = alltrue([for q in aws_s3_bucket_notification.source.queue : q.filter_prefix == "uploads/" && q.filter_suffix == null])
    error_message = "The rule must filter on the source prefix and on nothing else."
  }

  assert {
    condition     = output.notification_filters == [{ id = "thumbnails", prefix = "uploads/", events = toset(["s3:ObjectCreated:*"]) }]
    error_message = "The notification_filters output must describe the one prefix-only rule."
  }
}

run "a_topic_instead_of_the_queue_gets_the_same_rule" {
  command = plan

  variables {
    source_prefix           = "uploads/"
    notification_queue_arns = {}
    notification_topic_arn  = "arn:aws:sns:eu-west-1:111122223333:thumbs-uploads"
  }

  assert {
    condition = length(aws_s3_bucket_notification.source.queue) == 0 && alltrue([for t in aws_s3_bucket_notification.source.topic :
      t.topic_arn == "arn:aws:sns:eu-west-1:111122223333:thumbs-uploads" && t.filter_prefix == "uploads/" && t.filter_suffix == null
      && toset(t.events) == toset(["s3:ObjectCreated:*"])
    ]) && length(aws_s3_bucket_notification.source.topic) == 1
    error_message = "With a topic, the one prefix-only rule must send to the topic."
  }
}

run "eventbridge_can_be_turned_on" {
  command = plan

  variables {
    notification_queue_arns = {}
    eventbridge             = true
  }

  assert {
    condition     = aws_s3_bucket_notification.source.eventbridge && length(aws_s3_bucket_notification.source.queue) == 0
    error_message = "eventbridge = true must send the bucket's events to EventBridge."
  }
}

# Two destinations on one prefix overlap (there are no suffixes to tell them apart): S3 would reject the
# configuration at apply time, so the plan does.
run "two_queues_on_one_prefix_fail_the_plan" {
  command = plan

  variables {
    notification_queue_arns = {
      thumbnails = "arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications"
      metadata   = "arn:aws:sqs:eu-west-1:111122223333:thumbs-metadata"
    }
  }

  expect_failures = [aws_s3_bucket_notification.source]
}

run "a_queue_and_a_topic_on_one_prefix_fail_the_plan" {
  command = plan

  variables {
    notification_topic_arn = "arn:aws:sns:eu-west-1:111122223333:thumbs-uploads"
  }

  expect_failures = [aws_s3_bucket_notification.source]
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
    condition = length(aws_s3_bucket_policy.this) == 2 && alltrue([for k, p in aws_s3_bucket_policy.this :
      p.policy == module.deny_insecure_transport[k].json
      && jsondecode(p.policy).Statement[0].Effect == "Deny"
      && jsondecode(p.policy).Statement[0].Action == ["s3:*"]
      && jsondecode(p.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    ])
    error_message = "Both bucket policies must be the shared TLS-only deny of s3:*."
  }

  assert {
    condition     = length(aws_s3_bucket_versioning.source) == 0 && !output.source_versioning
    error_message = "Versioning must be off by default."
  }

  assert {
    condition = alltrue([for k, l in aws_s3_bucket_lifecycle_configuration.this :
      [for r in l.rule : r.id] == ["abort-incomplete-multipart-uploads"]
    ])
    error_message = "By default each bucket's lifecycle must only abort incomplete multipart uploads (nothing expires)."
  }
}

run "versioned_source_expires_noncurrent_versions" {
  command = plan

  variables {
    source_versioning                  = true
    noncurrent_version_expiration_days = 14
  }

  assert {
    condition     = length(aws_s3_bucket_versioning.source) == 1 && aws_s3_bucket_versioning.source[0].versioning_configuration[0].status == "Enabled" && aws_s3_bucket_versioning.source[0].bucket == "thumbs-source"
    error_message = "source_versioning must turn on versioning of the source bucket."
  }

  assert {
    condition = one([for r in aws_s3_bucket_lifecycle_configuration.this["source"].rule :
      r.noncurrent_version_expiration[0].noncurrent_days if r.id == "expire-noncurrent-versions"
    ]) == 14
    error_message = "Replaced versions must expire after noncurrent_version_expiration_days."
  }

  assert {
    condition     = length([for r in aws_s3_bucket_lifecycle_configuration.this["output"].rule : r if r.id == "expire-noncurrent-versions"]) == 0
    error_message = "The output bucket is not versioned and needs no noncurrent rule."
  }
}

run "expirations_apply_under_each_prefix_only" {
  command = plan

  variables {
    source_prefix          = "uploads/"
    output_prefix          = "thumbnails/"
    source_expiration_days = 30
    output_expiration_days = 365
  }

  assert {
    condition = one([for r in aws_s3_bucket_lifecycle_configuration.this["source"].rule :
      [r.filter[0].prefix, r.expiration[0].days] if r.id == "expire-originals"
    ]) == ["uploads/", 30]
    error_message = "source_expiration_days must expire uploads under source_prefix only."
  }

  assert {
    condition = one([for r in aws_s3_bucket_lifecycle_configuration.this["output"].rule :
      [r.filter[0].prefix, r.expiration[0].days] if r.id == "expire-thumbnails"
    ]) == ["thumbnails/", 365]
    error_message = "output_expiration_days must expire thumbnails under output_prefix only."
  }
}

run "bad_expirations_are_rejected" {
  command = plan

  variables {
    source_expiration_days             = 0
    output_expiration_days             = 1.5
    noncurrent_version_expiration_days = 0
  }

  expect_failures = [var.source_expiration_days, var.output_expiration_days, var.noncurrent_version_expiration_days]
}

run "output_bucket_must_not_be_the_source_bucket" {
  command = plan

  variables {
    output_bucket_name = "thumbs-source"
  }

  expect_failures = [var.output_bucket_name]
}

run "prefix_with_leading_slash_is_rejected" {
  command = plan

  variables {
    source_prefix = "/uploads/"
  }

  expect_failures = [var.source_prefix]
}
