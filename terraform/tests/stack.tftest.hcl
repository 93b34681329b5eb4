# Plan-only tests of the whole stack with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform init -backend=false && terraform -chdir=terraform test
# Each module has its own tests under modules/<name>/tests; these check the wiring between them.

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

  mock_data "aws_region" {
    defaults = {
      id = "eu-west-1"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  # Realistic ARNs, so the modules' ARN validations accept the mocked values.
  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mock-bucket"
    }
  }

  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:111122223333:mock-queue"
    }
  }

  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/mock-table"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mock"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:111122223333:mock-topic"
    }
  }

  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:111122223333:rule/mock-rule"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    }
  }
}

variables {
  # Stands in for artifacts/function-<arch>.zip; relative to terraform/, where terraform test runs.
  package_path = "tests/fixtures/package.zip"
}

run "defaults_derive_names_and_the_visibility_timeout" {
  command = plan

  assert {
    condition     = output.queue_visibility_timeout_seconds == 360
    error_message = "The default visibility timeout must be 6 x 60 s + 0 s."
  }

  assert {
    condition     = output.source_bucket_name == "imagepattern-source-111122223333-eu-west-1" && output.output_bucket_name == "imagepattern-output-111122223333-eu-west-1"
    error_message = "Bucket names must be derived from the prefix, account and region."
  }

  assert {
    condition     = output.tasks_table_name == "imagepattern-tasks" && output.function_name == "imagepattern-thumbnailer"
    error_message = "Table and function names must be derived from the prefix."
  }

  assert {
    condition     = output.function_architecture == "x86_64"
    error_message = "The stack must default to x86_64."
  }

  assert {
    condition     = jsonencode(output.notification_filters) == jsonencode([{ id = "thumbnails", prefix = null, events = ["s3:ObjectCreated:*"] }])
    error_message = "One prefix-only rule must send every upload to the queue (the function filters extensions in any case)."
  }

  assert {
    condition     = tolist(output.image_suffixes) == tolist([".jpg", ".jpeg", ".png", ".webp", ".gif"])
    error_message = "The default engine (skia) must process its five extensions."
  }

  assert {
    condition     = length(output.alarm_names) == 5 && output.alarm_topic_arn == null
    error_message = "Five alarms and no topic by default."
  }
}

run "function_environment_points_at_the_stack_resources" {
  command = plan

  assert {
    condition = (
      output.function_environment["SOURCE_BUCKET"] == output.source_bucket_name
      && output.function_environment["OUTPUT_BUCKET"] == output.output_bucket_name
      && output.function_environment["TASKS_TABLE"] == output.tasks_table_name
      && output.function_environment["IMAGE_ENGINE"] == "skia"
      && output.function_environment["POWERTOOLS_METRICS_NAMESPACE"] == "ImagePattern"
    )
    error_message = "The function must be configured with this stack's buckets, table and timeout."
  }
}

run "visibility_timeout_follows_timeout_and_window" {
  command = plan

  variables {
    function_timeout_seconds = 120
    batching_window_seconds  = 5
  }

  assert {
    condition     = output.queue_visibility_timeout_seconds == 6 * 120 + 5
    error_message = "The visibility timeout must follow the function timeout and batching window."
  }
}

run "arm64_reaches_the_function" {
  command = plan

  variables {
    architecture = "arm64"
  }

  assert {
    condition     = output.function_architecture == "arm64"
    error_message = "architecture = arm64 must reach the function."
  }
}

run "alarm_topic_can_be_created" {
  command = plan

  variables {
    create_alarm_topic = true
  }

  assert {
    condition     = output.alarm_topic_arn == "arn:aws:sns:eu-west-1:111122223333:mock-topic"
    error_message = "create_alarm_topic must create the topic the alarms notify."
  }
}

# Triggers (issue "Fan-out and a second consumer"): each mode wires S3 to the consumers' queues its own way.
run "s3_notification_feeds_the_thumbnailer_only" {
  command = plan

  assert {
    condition     = output.trigger == "s3-notification" && output.uploads_topic_arn == null && output.eventbridge_rule_arns == {}
    error_message = "The default trigger must be the direct S3 notification, with no topic and no rules."
  }

  assert {
    condition     = output.consumers == {} && length(var.consumers) > 0 && !module.buckets.eventbridge
    error_message = "Without fan-out the thumbnailer must run alone, whatever var.consumers lists, with no EventBridge delivery."
  }
}

run "sns_fanout_publishes_to_an_encrypted_topic_with_a_queue_per_consumer" {
  command = plan

  variables {
    trigger = "sns-fanout"
  }

  assert {
    condition     = jsonencode(output.notification_filters) == jsonencode([{ id = "fanout", prefix = null, events = ["s3:ObjectCreated:*"] }])
    error_message = "S3 must send every upload to the topic with one prefix-only rule, and to no queue."
  }

  assert {
    condition     = output.uploads_topic_arn == module.uploads_topic[0].arn && module.uploads_topic[0].name == "imagepattern-uploads" && module.uploads_topic[0].key_arn == "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    error_message = "The uploads topic must be encrypted with its own key (modules/encrypted_topic, whose tests check rotation and the policies)."
  }

  assert {
    condition     = module.uploads_topic[0].publisher.service == "s3.amazonaws.com" && module.uploads_topic[0].publisher.source_account_id == "111122223333" && module.uploads_topic[0].publisher.key_requires_source_arn
    error_message = "Only S3, for this account and bucket, may use the topic key."
  }

  assert {
    condition     = tolist(module.uploads_topic[0].publisher.source_arns) == tolist(["arn:aws:s3:::mock-bucket"]) && module.uploads_topic[0].publisher.source_arn_match == "ArnEquals"
    error_message = "Only S3, for this account and bucket, may publish to the topic."
  }

  assert {
    condition     = tolist(module.uploads_topic[0].tls_only_statement.Action) == tolist(["sns:*"]) && tolist(module.uploads_topic[0].tls_only_statement.Resource) == tolist([output.uploads_topic_arn])
    error_message = "The uploads topic must be TLS-only."
  }

  assert {
    condition = toset(keys(aws_sns_topic_subscription.consumer)) == toset(concat(["thumbnails"], keys(var.consumers))) && alltrue([
      for s in aws_sns_topic_subscription.consumer : s.protocol == "sqs" && s.topic_arn == module.uploads_topic[0].arn && !s.raw_message_delivery
    ])
    error_message = "Each consumer's queue must be subscribed to the topic (enveloped delivery)."
  }

  assert {
    condition = toset(keys(output.consumers)) == toset(keys(var.consumers)) && alltrue([
      for name, c in output.consumers : c.function_name == "imagepattern-${name}" && c.table_name == "imagepattern-${name}" && length(c.alarm_names) == 5
    ])
    error_message = "Fan-out must deploy every consumer of var.consumers (the metadata consumer by default), each with its own function, table and alarms named after its key."
  }

  assert {
    condition = alltrue([
      for c in module.consumer : c.alarm_topic_arn == output.alarm_topic_arn && c.queue_visibility_timeout_seconds == output.queue_visibility_timeout_seconds && c.function_architecture == output.function_architecture
    ])
    error_message = "Every consumer must share the stack's alarm topic, timeout-derived visibility timeout and architecture."
  }
}

run "eventbridge_gives_each_consumer_a_rule_that_ignores_extension_case" {
  command = plan

  variables {
    trigger = "eventbridge"
  }

  assert {
    condition     = module.buckets.eventbridge && output.notification_filters == [] && output.uploads_topic_arn == null
    error_message = "The bucket must send its events to EventBridge and to no queue or topic."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_event_rule.consumer)) == toset(concat(["thumbnails"], keys(var.consumers))) && toset(keys(aws_cloudwatch_event_target.consumer)) == toset(keys(aws_cloudwatch_event_rule.consumer))
    error_message = "Each consumer must have its own rule and target."
  }

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.consumer["thumbnails"].event_pattern) == {
      source        = ["aws.s3"]
      "detail-type" = ["Object Created"]
      detail = {
        bucket = { name = ["imagepattern-source-111122223333-eu-west-1"] }
        object = { key = [for s in [".jpg", ".jpeg", ".png", ".webp", ".gif"] : { suffix = { equals-ignore-case = s } }] }
      }
    }
    error_message = "The rule must match Object Created in the source bucket, by extension in any case."
  }
}

run "eventbridge_with_a_prefix_matches_the_prefix" {
  command = plan

  variables {
    trigger       = "eventbridge"
    source_prefix = "uploads/"
    consumers     = {}
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.consumer["thumbnails"].event_pattern).detail.object.key == [{ prefix = "uploads/" }]
    error_message = "With a source prefix the rule must match it (the function filters extensions in any case)."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_event_rule.consumer)) == toset(["thumbnails"]) && output.consumers == {}
    error_message = "consumers = {} must leave the thumbnailer alone."
  }
}

run "a_consumer_added_to_the_map_gets_its_own_resources_and_route" {
  command = plan

  variables {
    trigger   = "sns-fanout"
    consumers = { metadata = { memory_size = 640 }, labels = {} }
  }

  assert {
    condition     = module.consumer["labels"].function_name == "imagepattern-labels" && module.consumer["labels"].queue_url != module.consumer["metadata"].queue_url && contains(keys(aws_sns_topic_subscription.consumer), "labels")
    error_message = "One map entry must give a consumer its own function, queue and subscription."
  }

  assert {
    condition     = module.consumer["labels"].function_environment["POWERTOOLS_SERVICE_NAME"] == "imagepattern-labels" && !contains(keys(module.consumer["labels"].function_environment), "OUTPUT_BUCKET")
    error_message = "A consumer's function must be named for it in the logs and get none of the thumbnail-only variables."
  }
}

run "consumer_names_are_handler_names" {
  command = plan

  variables {
    trigger   = "sns-fanout"
    consumers = { Thumbnails = {} }
  }

  expect_failures = [var.consumers]
}

run "unknown_trigger_is_rejected" {
  command = plan

  variables {
    trigger = "lambda-url"
  }

  expect_failures = [var.trigger]
}

run "source_lifecycle_reaches_the_buckets" {
  command = plan

  variables {
    source_prefix            = "uploads/"
    source_expiration_days   = 7
    output_expiration_days   = 30
    source_bucket_versioning = true
  }

  assert {
    condition     = module.buckets.source_versioning
    error_message = "source_bucket_versioning must reach the source bucket."
  }
}

# Values passed straight into a module are validated by that module, and its own tests show each rejection
# (terraform test cannot expect a failure inside a called module). Here: what only the root validates.
run "prefix_unfit_for_bucket_names_is_rejected" {
  command = plan

  variables {
    name_prefix = "Image_Pattern"
  }

  expect_failures = [var.name_prefix]
}

run "region_that_is_not_a_region_code_is_rejected" {
  command = plan

  variables {
    region = "Ireland"
  }

  expect_failures = [var.region]
}

run "the_dashboard_has_a_band_per_consumer_and_its_url_is_an_output" {
  command = plan

  variables {
    trigger = "sns-fanout"
  }

  assert {
    condition     = module.dashboard.widget_count == 18 && module.dashboard.dashboard_name == "imagepattern"
    error_message = "With two consumers the stack's dashboard must hold two bands of a title and eight graphs."
  }

  assert {
    condition     = output.dashboard_url == "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/imagepattern"
    error_message = "dashboard_url must open the stack's dashboard in its region."
  }
}

run "mapping_options_and_tracing_reach_every_consumer" {
  command = plan

  variables {
    trigger                      = "sns-fanout"
    maximum_concurrency          = null
    provisioned_pollers          = { minimum = 2, maximum = 40 }
    event_source_mapping_metrics = true
    tracing_mode                 = "Active"
  }

  assert {
    condition     = module.thumbnails.dashboard.event_source_mapping_metrics && module.consumer["metadata"].dashboard.event_source_mapping_metrics
    error_message = "event_source_mapping_metrics must reach both consumers."
  }

  assert {
    condition     = module.dashboard.widget_count == 20
    error_message = "Each consumer whose mapping publishes EventCount gets one more graph."
  }
}
