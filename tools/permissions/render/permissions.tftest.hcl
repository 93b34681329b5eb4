# Renders the exact IAM policies of the real root stack (terraform/) for each trigger, offline: the real aws
# provider with fake keys, the caller identity and every ARN the policies name fixed here. tools/permissions/
# render.sh copies terraform/ to a temporary folder, drops this file into its tests/ and runs
# `terraform test -verbose -json`; the plan of each run carries every aws_iam_policy_document with its statements.
#
# The names are the local stack's (src/ImagePattern.Tool/Local/LocalLayout.cs): account 000000000000, us-east-1,
# name_prefix imagepattern. So the ARNs of the recorded requests and of the rendered policies are the same.
#
# EVERY RESOURCE ADDRESS OF THE STACK THAT THE CHECK NAMES IS IN THIS FILE, and nowhere else: when a module moves
# (module.thumbnails -> module.consumer["thumbnails"]), change the targets below and nothing in check.mjs.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "render-only"
  secret_key                  = "render-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  package_path = "tests/fixtures/package.zip"
  region       = "us-east-1"
  name_prefix  = "imagepattern"
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "000000000000" }
}

override_data {
  target = module.thumbnails.module.alarms.data.aws_caller_identity.current
  values = { account_id = "000000000000" }
}

override_data {
  target = module.consumer["metadata"].module.alarms.data.aws_caller_identity.current
  values = { account_id = "000000000000" }
}

override_resource {
  target          = module.buckets.aws_s3_bucket.this["source"]
  override_during = plan
  values          = { arn = "arn:aws:s3:::imagepattern-source-000000000000-us-east-1" }
}

override_resource {
  target          = module.buckets.aws_s3_bucket.this["output"]
  override_during = plan
  values          = { arn = "arn:aws:s3:::imagepattern-output-000000000000-us-east-1" }
}

override_resource {
  target          = module.thumbnails.module.queue.aws_sqs_queue.main
  override_during = plan
  values = {
    arn = "arn:aws:sqs:us-east-1:000000000000:imagepattern-notifications"
    url = "https://sqs.us-east-1.amazonaws.com/000000000000/imagepattern-notifications"
  }
}

override_resource {
  target          = module.thumbnails.module.queue.aws_sqs_queue.dlq
  override_during = plan
  values = {
    arn = "arn:aws:sqs:us-east-1:000000000000:imagepattern-notifications-dlq"
    url = "https://sqs.us-east-1.amazonaws.com/000000000000/imagepattern-notifications-dlq"
  }
}

override_resource {
  target          = module.thumbnails.module.tasks_table.aws_dynamodb_table.this
  override_during = plan
  values          = { arn = "arn:aws:dynamodb:us-east-1:000000000000:table/imagepattern-tasks" }
}

override_resource {
  target          = module.thumbnails.module.function.aws_cloudwatch_log_group.this
  override_during = plan
  values          = { arn = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/imagepattern-thumbnailer" }
}

override_resource {
  target          = module.consumer["metadata"].module.queue.aws_sqs_queue.main
  override_during = plan
  values = {
    arn = "arn:aws:sqs:us-east-1:000000000000:imagepattern-metadata"
    url = "https://sqs.us-east-1.amazonaws.com/000000000000/imagepattern-metadata"
  }
}

override_resource {
  target          = module.consumer["metadata"].module.queue.aws_sqs_queue.dlq
  override_during = plan
  values = {
    arn = "arn:aws:sqs:us-east-1:000000000000:imagepattern-metadata-dlq"
    url = "https://sqs.us-east-1.amazonaws.com/000000000000/imagepattern-metadata-dlq"
  }
}

override_resource {
  target          = module.consumer["metadata"].module.tasks_table.aws_dynamodb_table.this
  override_during = plan
  values          = { arn = "arn:aws:dynamodb:us-east-1:000000000000:table/imagepattern-metadata" }
}

override_resource {
  target          = module.consumer["metadata"].module.function.aws_cloudwatch_log_group.this
  override_during = plan
  values          = { arn = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/imagepattern-metadata" }
}

override_resource {
  target          = module.uploads_topic[0].aws_sns_topic.this
  override_during = plan
  values          = { arn = "arn:aws:sns:us-east-1:000000000000:imagepattern-uploads" }
}

override_resource {
  target          = module.uploads_topic[0].aws_kms_key.this
  override_during = plan
  values          = { arn = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000001" }
}

override_resource {
  target          = aws_cloudwatch_event_rule.consumer["thumbnails"]
  override_during = plan
  values          = { arn = "arn:aws:events:us-east-1:000000000000:rule/imagepattern-thumbnails" }
}

override_resource {
  target          = aws_cloudwatch_event_rule.consumer["metadata"]
  override_during = plan
  values          = { arn = "arn:aws:events:us-east-1:000000000000:rule/imagepattern-metadata" }
}

run "s3-notification" {
  command = plan
  variables { trigger = "s3-notification" }
}

run "sns-fanout" {
  command = plan
  variables { trigger = "sns-fanout" }
}

run "eventbridge" {
  command = plan
  variables { trigger = "eventbridge" }
}

# Only for the requests that must be denied: reads outside a source prefix, writes outside an output prefix.
run "prefixes" {
  command = plan
  variables {
    trigger       = "s3-notification"
    source_prefix = "uploads/"
    output_prefix = "thumbnails/"
  }
}
