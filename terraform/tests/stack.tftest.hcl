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
