# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/consumer init -backend=false && terraform -chdir=terraform/modules/consumer test
# The inner modules (tasks_table, queue, function, alarms) have their own tests; these check what this module
# adds: the names, the settings each inner module gets, the handler's own settings and the shared alarm topic.

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


  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    }
  }
}

# A metadata-like consumer fed by an SNS topic; runs below switch to the thumbnails handler.
variables {
  name    = "thumbs-labels"
  handler = "metadata"
  function = {
    package_path            = "../function/tests/fixtures/package.zip"
    architecture            = "arm64"
    memory_size             = 1024 # the thumbnails runs below need 801 MB for one skia image slot at 100 MP
    timeout_seconds         = 30
    log_retention_in_days   = 14
    log_level               = "INFO"
    service_name            = "thumbs-labels"
    metrics_namespace       = "ImagePattern"
    image_engine            = "skia"
    max_source_bytes        = 52428800
    max_source_pixels       = 100000000
    max_interlaced_pixels   = 30000000
    task_ttl_days           = 30
    batch_size              = 10
    batching_window_seconds = 5
    maximum_concurrency     = 4
  }
  source_bucket = { name = "thumbs-source", arn = "arn:aws:s3:::thumbs-source", prefix = "uploads/" }
  sender        = { service = "sns.amazonaws.com", arn = "arn:aws:sns:eu-west-1:111122223333:thumbs-uploads", account_id = "111122223333" }
  queue         = { max_receive_count = 3, message_retention_seconds = 86400 }
  alarms        = { oldest_message_age_threshold_seconds = 900, notification_latency_threshold_ms = 60000 }
}

run "one_name_names_the_function_table_queue_and_alarms" {
  command = plan

  assert {
    condition     = output.function_name == "thumbs-labels" && output.table_name == "thumbs-labels" && output.queue_name == "thumbs-labels" && output.dlq_name == "thumbs-labels-dlq"
    error_message = "Without names, the table and queue must take the consumer's name (the DLQ \"<name>-dlq\")."
  }

  assert {
    condition     = toset(values(output.alarm_names)) == toset([for k in ["dlq-not-empty", "oldest-message-age", "function-errors", "function-throttles", "notification-latency"] : "thumbs-labels-${k}"])
    error_message = "The alarms must be named \"<name>-<kind>\"."
  }
}

run "names_override_the_queue_table_and_alarm_prefix" {
  command = plan

  variables {
    name  = "thumbs-thumbnailer"
    names = { queue = "thumbs-notifications", table = "thumbs-tasks", alarm_prefix = "thumbs" }
  }

  assert {
    condition     = output.function_name == "thumbs-thumbnailer" && output.queue_name == "thumbs-notifications" && output.dlq_name == "thumbs-notifications-dlq" && output.table_name == "thumbs-tasks"
    error_message = "names must name the queue and table; the function keeps name."
  }

  assert {
    condition     = output.alarm_names["dlq-not-empty"] == "thumbs-dlq-not-empty"
    error_message = "names.alarm_prefix must prefix the alarm names."
  }
}

run "the_visibility_timeout_follows_the_function_it_feeds" {
  command = plan

  assert {
    condition     = output.queue_visibility_timeout_seconds == 6 * 30 + 5
    error_message = "The queue's visibility timeout must be derived from the function's timeout and batching window."
  }

  assert {
    condition     = module.queue.max_receive_count == 3 && output.queue_arn == module.queue.arn && output.dlq_arn == module.queue.dlq_arn
    error_message = "The queue must get max_receive_count, and its ARNs must be passed on."
  }
}

run "the_function_reads_its_own_table_and_the_source_bucket" {
  command = plan

  assert {
    condition = (
      output.function_environment["TASKS_TABLE"] == output.table_name
      && output.function_environment["SOURCE_BUCKET"] == "thumbs-source"
      && output.function_environment["IMAGE_ENGINE"] == "skia" && output.function_environment["TASK_TTL_DAYS"] == "30"
      && output.function_environment["POWERTOOLS_SERVICE_NAME"] == "thumbs-labels"
      && output.function_architecture == "arm64"
      && module.function.handler == "metadata"
    )
    error_message = "The function must get its handler, its own table, the source bucket and the function settings."
  }

  assert {
    condition     = length(setintersection(keys(output.function_environment), ["OUTPUT_BUCKET", "OUTPUT_PREFIX", "THUMBNAIL_SIZES", "OUTPUT_FORMAT", "OUTPUT_QUALITY"])) == 0
    error_message = "A handler other than thumbnails must get no thumbnail settings."
  }
}

run "the_thumbnails_handler_gets_its_output_bucket_and_thumbnail_settings" {
  command = plan

  variables {
    handler = "thumbnails"
    thumbnails = {
      output_bucket_name = "thumbs-output"
      output_bucket_arn  = "arn:aws:s3:::thumbs-output"
      output_prefix      = "thumbnails/"
      sizes              = ["64x64"]
      format             = "jpeg"
      quality            = 70
    }
  }

  assert {
    condition = (
      output.function_environment["OUTPUT_BUCKET"] == "thumbs-output"
      && output.function_environment["OUTPUT_PREFIX"] == "thumbnails/"
      && output.function_environment["THUMBNAIL_SIZES"] == "64x64"
      && output.function_environment["OUTPUT_FORMAT"] == "jpeg"
      && output.function_environment["OUTPUT_QUALITY"] == "70"
    )
    error_message = "The thumbnails handler must get the output bucket, prefix, sizes, format and quality."
  }
}

run "no_topic_by_default" {
  command = plan

  assert {
    condition     = output.alarm_topic_arn == null && length(module.alarms.alarm_arns) == 5
    error_message = "Five alarms and no topic unless one is created or passed."
  }
}

run "a_created_topic_is_given_to_the_other_consumers" {
  command = plan

  variables {
    alarms = { oldest_message_age_threshold_seconds = 900, notification_latency_threshold_ms = 60000, create_topic = true }
  }

  assert {
    condition     = output.alarm_topic_arn == "arn:aws:sns:eu-west-1:111122223333:mock-topic"
    error_message = "create_topic must create the consumer's alarm topic and pass its ARN on."
  }
}

run "a_passed_topic_receives_the_alarms" {
  command = plan

  variables {
    alarms = { oldest_message_age_threshold_seconds = 900, notification_latency_threshold_ms = 60000, topic_arn = "arn:aws:sns:eu-west-1:111122223333:thumbs-alarms" }
  }

  assert {
    condition     = output.alarm_topic_arn == "arn:aws:sns:eu-west-1:111122223333:thumbs-alarms"
    error_message = "A passed topic must be the one the alarms notify."
  }
}

run "the_thumbnails_handler_without_thumbnail_settings_is_rejected" {
  command = plan

  variables {
    handler = "thumbnails"
  }

  expect_failures = [var.thumbnails]
}

run "thumbnail_settings_for_another_handler_are_rejected" {
  command = plan

  variables {
    thumbnails = {
      output_bucket_name = "thumbs-output"
      output_bucket_arn  = "arn:aws:s3:::thumbs-output"
      sizes              = ["64x64"]
      format             = "jpeg"
      quality            = 70
    }
  }

  expect_failures = [var.thumbnails]
}

run "a_name_that_cannot_name_a_function_is_rejected" {
  command = plan

  variables {
    name = "thumbs labels"
  }

  expect_failures = [var.name]
}

run "the_dashboard_output_describes_this_consumer" {
  command = plan

  assert {
    condition = [output.dashboard.function_name, output.dashboard.function_timeout_seconds, output.dashboard.queue_name, output.dashboard.dlq_name, output.dashboard.service_name, output.dashboard.event_source_mapping_metrics] == [
      "thumbs-labels", 30, "thumbs-labels", "thumbs-labels-dlq", "thumbs-labels", false,
    ]
    error_message = "The dashboard output must name the consumer's function, timeout, queue, DLQ and service; mapping metrics are off by default."
  }
}

run "provisioned_mode_mapping_metrics_and_active_tracing_reach_the_function" {
  command = plan

  variables {
    function = merge(var.function, {
      maximum_concurrency          = null
      provisioned_pollers          = { minimum = 3, maximum = 30 }
      event_source_mapping_metrics = true
      tracing_mode                 = "Active"
    })
  }

  assert {
    condition = [
      module.function.event_source_mapping_metrics,
      module.function.tracing_mode,
      ] == [
      true, "Active",
    ]
    error_message = "The consumer must pass event_source_mapping_metrics and tracing_mode on to its function."
  }
}
