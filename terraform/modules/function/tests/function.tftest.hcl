# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/function init -backend=false && terraform -chdir=terraform/modules/function test
# Paths are relative to the module folder, where terraform test runs; tests/fixtures/package.zip stands in
# for the real package (only its hash matters to a plan).

mock_provider "aws" {
  override_during = plan

  # The provider validates policy arguments even when mocked, so generated policies must be JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

override_resource {
  target          = aws_cloudwatch_log_group.this
  override_during = plan
  values = {
    arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/thumbs"
  }
}

variables {
  name                             = "thumbs"
  package_path                     = "tests/fixtures/package.zip"
  source_bucket_name               = "thumbs-source"
  source_bucket_arn                = "arn:aws:s3:::thumbs-source"
  output_bucket_name               = "thumbs-output"
  output_bucket_arn                = "arn:aws:s3:::thumbs-output"
  tasks_table_name                 = "thumbs-tasks"
  tasks_table_arn                  = "arn:aws:dynamodb:eu-west-1:111122223333:table/thumbs-tasks"
  queue_arn                        = "arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications"
  queue_visibility_timeout_seconds = 360
}

run "function_runs_the_thumbnails_handler_on_provided_al2023_x86_64_by_default" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.runtime == "provided.al2023"
    error_message = "The function must use the provided.al2023 custom runtime (the package is a Native AOT bootstrap)."
  }

  assert {
    condition     = aws_lambda_function.this.handler == "thumbnails"
    error_message = "The handler string is the name the bootstrap selects its handler by (_HANDLER)."
  }

  assert {
    condition     = tolist(aws_lambda_function.this.architectures) == tolist(["x86_64"])
    error_message = "x86_64 must be the default architecture."
  }

  assert {
    condition     = aws_lambda_function.this.memory_size == 1769 && aws_lambda_function.this.timeout == 60
    error_message = "Defaults must be 1769 MB and 60 s."
  }

  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("tests/fixtures/package.zip")
    error_message = "source_code_hash must be the package's SHA-256, so only a changed package updates the code."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/thumbs" && aws_cloudwatch_log_group.this.retention_in_days == 30
    error_message = "The function's log group must exist with a retention."
  }

  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == aws_cloudwatch_log_group.this.name
    error_message = "The function must log to the module's log group."
  }
}

run "arm64_is_an_option" {
  command = plan

  variables {
    architecture = "arm64"
  }

  assert {
    condition     = tolist(aws_lambda_function.this.architectures) == tolist(["arm64"])
    error_message = "architecture = arm64 must reach the function."
  }
}

run "environment_carries_the_contract_names_and_values" {
  command = plan

  assert {
    condition = toset(keys(aws_lambda_function.this.environment[0].variables)) == toset([
      "OUTPUT_BUCKET", "OUTPUT_PREFIX", "SOURCE_BUCKET", "THUMBNAIL_SIZES", "OUTPUT_FORMAT", "OUTPUT_QUALITY",
      "TASKS_TABLE", "MAX_SOURCE_BYTES", "MAX_SOURCE_PIXELS", "MAX_INTERLACED_PIXELS", "TASK_TTL_DAYS",
      "IMAGE_ENGINE", "IMAGE_SUFFIXES", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_METRICS_NAMESPACE",
    ])
    error_message = "The environment must set exactly the variables the function reads."
  }

  assert {
    condition = aws_lambda_function.this.environment[0].variables == tomap({
      OUTPUT_BUCKET                = "thumbs-output"
      OUTPUT_PREFIX                = ""
      SOURCE_BUCKET                = "thumbs-source"
      THUMBNAIL_SIZES              = "128x128,512x512"
      OUTPUT_FORMAT                = "webp"
      OUTPUT_QUALITY               = "80"
      TASKS_TABLE                  = "thumbs-tasks"
      MAX_SOURCE_BYTES             = "52428800"
      MAX_SOURCE_PIXELS            = "100000000"
      MAX_INTERLACED_PIXELS        = "30000000"
      TASK_TTL_DAYS                = "30"
      IMAGE_ENGINE                 = "skia"
      IMAGE_SUFFIXES               = ".jpg,.jpeg,.png,.webp,.gif"
      POWERTOOLS_SERVICE_NAME      = "imagepattern"
      POWERTOOLS_LOG_LEVEL         = "INFO"
      POWERTOOLS_METRICS_NAMESPACE = "ImagePattern"
    })
    error_message = "The environment must carry the documented defaults."
  }
}

run "event_source_reports_partial_batch_failures" {
  command = plan

  assert {
    condition     = tolist(aws_lambda_event_source_mapping.this.function_response_types) == tolist(["ReportBatchItemFailures"])
    error_message = "The event source mapping must use ReportBatchItemFailures."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.event_source_arn == var.queue_arn
    error_message = "The event source must be the notification queue."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.batch_size == 10
    error_message = "The default batch size must be 10."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.maximum_batching_window_in_seconds == 0
    error_message = "There must be no batching window by default."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency == 10
    error_message = "The event source must start at most 10 concurrent invocations by default."
  }
}

run "role_holds_exactly_the_least_privilege_statements" {
  command = plan

  assert {
    condition     = length(data.aws_iam_policy_document.permissions.statement) == 6
    error_message = "The role's policy must hold exactly six statements."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [s.effect, toset(s.actions), toset(s.resources)] if s.sid == "ReadSourceObjects"]) == [
      "Allow", toset(["s3:GetObject", "s3:GetObjectVersion"]), toset(["arn:aws:s3:::thumbs-source/*"]),
    ]
    error_message = "The function may only get objects (any version: versioned buckets name one) from the source bucket."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [s.effect, toset(s.actions), toset(s.resources)] if s.sid == "WriteThumbnails"]) == [
      "Allow", toset(["s3:PutObject"]), toset(["arn:aws:s3:::thumbs-output/*"]),
    ]
    error_message = "The function may only put objects into the output bucket."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [s.effect, toset(s.actions), toset(s.resources)] if s.sid == "ConsumeNotifications"]) == [
      "Allow",
      toset(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]),
      toset(["arn:aws:sqs:eu-west-1:111122223333:thumbs-notifications"]),
    ]
    error_message = "The function may only use the three actions Lambda's SQS event source mapping needs, on its queue."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [s.effect, toset(s.actions), toset(s.resources)] if s.sid == "RecordTasks"]) == [
      "Allow",
      toset(["dynamodb:UpdateItem", "dynamodb:GetItem"]),
      toset(["arn:aws:dynamodb:eu-west-1:111122223333:table/thumbs-tasks"]),
    ]
    error_message = "The function may only update and get items of its task table (the ledger's two calls)."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [s.effect, toset(s.actions), toset(s.resources)] if s.sid == "WriteLogs"]) == [
      "Allow",
      toset(["logs:CreateLogStream", "logs:PutLogEvents"]),
      toset([
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/thumbs",
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/thumbs:*",
      ]),
    ]
    error_message = "The function may only write streams of its own log group."
  }

  assert {
    condition = alltrue(flatten([for s in data.aws_iam_policy_document.permissions.statement : [
      for a in s.actions : !strcontains(a, "*")
    ]]))
    error_message = "No action may contain a wildcard."
  }

  assert {
    condition     = aws_iam_role_policy.this.role == aws_iam_role.this.name
    error_message = "The permissions must be attached to the function's one role."
  }
}

# ListBucket is granted so that S3 answers a read of a deleted key with 404 NoSuchKey (a permanent FAILED task)
# rather than 403 AccessDenied (a retry loop into the DLQ). The grant must cover what the function reads and no
# more: the whole bucket when there is no prefix (no condition at all: a StringLike on s3:prefix would not match
# a request without one), listings under the prefix when there is one.
run "list_grant_without_a_prefix_is_the_bucket_unconditioned" {
  command = plan

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [s.effect, toset(s.actions), toset(s.resources), length(s.condition)] if s.sid == "ListSourceKeys"]) == [
      "Allow", toset(["s3:ListBucket"]), toset(["arn:aws:s3:::thumbs-source"]), 0,
    ]
    error_message = "Without a source prefix, ListBucket must be granted on the source bucket with no condition."
  }
}

run "key_prefixes_narrow_the_s3_statements" {
  command = plan

  variables {
    source_prefix = "uploads/"
    output_prefix = "thumbnails/"
  }

  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.permissions.statement : s.resources if startswith(s.sid, "ReadSource") || startswith(s.sid, "WriteThumb")])) == toset([
      "arn:aws:s3:::thumbs-source/uploads/*",
      "arn:aws:s3:::thumbs-output/thumbnails/*",
    ])
    error_message = "Reads must be limited to the source prefix and writes to the output prefix."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [
      for c in s.condition : [c.test, c.variable, toset(c.values)]
    ] if s.sid == "ListSourceKeys"]) == [["StringLike", "s3:prefix", toset(["uploads/*"])]]
    error_message = "With a source prefix, ListBucket must be limited to listings under that prefix, by exactly one condition."
  }
}

run "libvips_engine_reads_more_formats_by_default" {
  command = plan

  variables {
    image_engine  = "libvips"
    output_format = "avif"
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["IMAGE_ENGINE"] == "libvips"
    error_message = "image_engine must reach IMAGE_ENGINE."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["IMAGE_SUFFIXES"] == ".jpg,.jpeg,.png,.webp,.gif,.tif,.tiff,.avif,.heif"
    error_message = "With libvips, the default suffixes must add .tif .tiff .avif .heif to skia's (not .heic: HEVC is not decoded)."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["OUTPUT_FORMAT"] == "avif"
    error_message = "libvips may write AVIF."
  }
}

run "listed_suffixes_replace_the_engine_default" {
  command = plan

  variables {
    image_suffixes = [".jpg", ".png"]
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["IMAGE_SUFFIXES"] == ".jpg,.png"
    error_message = "image_suffixes, when set, must reach IMAGE_SUFFIXES as given."
  }
}

run "suffix_the_engine_cannot_decode_fails_the_plan" {
  command = plan

  variables {
    image_suffixes = [".jpg", ".tiff"]
  }

  expect_failures = [var.image_suffixes]
}

run "avif_output_with_skia_fails_the_plan" {
  command = plan

  variables {
    output_format = "avif"
  }

  expect_failures = [var.output_format]
}

run "unknown_engine_is_rejected" {
  command = plan

  variables {
    image_engine = "imagemagick"
  }

  expect_failures = [var.image_engine]
}

run "uppercase_undotted_or_repeated_suffixes_are_rejected" {
  command = plan

  variables {
    image_suffixes = [".JPG", "png", ".jpg", ".jpg"]
  }

  expect_failures = [var.image_suffixes]
}

run "visibility_timeout_shorter_than_six_timeouts_fails_the_plan" {
  command = plan

  variables {
    queue_visibility_timeout_seconds = 359
  }

  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "visibility_timeout_must_cover_the_batching_window_too" {
  command = plan

  variables {
    batching_window_seconds = 10
  }

  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "large_batches_without_a_window_fail_the_plan" {
  command = plan

  variables {
    batch_size = 100
  }

  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "missing_package_fails_the_plan" {
  command = plan

  variables {
    package_path = "tests/fixtures/absent.zip"
  }

  expect_failures = [aws_lambda_function.this]
}

run "unknown_architecture_is_rejected" {
  command = plan

  variables {
    architecture = "aarch64"
  }

  expect_failures = [var.architecture]
}

run "single_concurrency_is_rejected" {
  command = plan

  variables {
    maximum_concurrency = 1
  }

  expect_failures = [var.maximum_concurrency]
}

run "bad_thumbnail_settings_are_rejected" {
  command = plan

  variables {
    thumbnail_sizes = ["128", "512x512"]
    output_format   = "gif"
    output_quality  = 0
    log_level       = "VERBOSE"
  }

  expect_failures = [var.thumbnail_sizes, var.output_format, var.output_quality, var.log_level]
}

run "interlaced_limit_above_pixel_limit_is_rejected" {
  command = plan

  variables {
    max_source_pixels     = 1000000
    max_interlaced_pixels = 2000000
  }

  expect_failures = [var.max_interlaced_pixels]
}

run "output_prefix_without_trailing_slash_is_rejected" {
  command = plan

  variables {
    output_prefix = "thumbnails"
  }

  expect_failures = [var.output_prefix]
}

run "writing_thumbnails_into_the_source_bucket_is_rejected" {
  command = plan

  variables {
    output_bucket_name = "thumbs-source"
  }

  expect_failures = [var.output_bucket_name]
}

# The image-metadata consumer: same package, its own function, role and log group; no thumbnails, so no output
# bucket, no thumbnail settings in its environment and no s3:PutObject.
run "metadata_handler_reads_and_records_but_writes_no_objects" {
  command = plan

  variables {
    name               = "thumbs-metadata"
    handler            = "metadata"
    output_bucket_name = null
    output_bucket_arn  = null
    tasks_table_name   = "thumbs-metadata"
    tasks_table_arn    = "arn:aws:dynamodb:eu-west-1:111122223333:table/thumbs-metadata"
  }

  assert {
    condition     = aws_lambda_function.this.handler == "metadata" && aws_lambda_function.this.runtime == "provided.al2023"
    error_message = "The metadata consumer must run the metadata handler of the same bootstrap."
  }

  assert {
    condition = toset(keys(aws_lambda_function.this.environment[0].variables)) == toset([
      "SOURCE_BUCKET", "TASKS_TABLE", "MAX_SOURCE_BYTES", "MAX_SOURCE_PIXELS", "MAX_INTERLACED_PIXELS", "TASK_TTL_DAYS",
      "IMAGE_ENGINE", "IMAGE_SUFFIXES", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_METRICS_NAMESPACE",
    ])
    error_message = "The metadata consumer's environment must be the thumbnailer's without the thumbnail settings."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["TASKS_TABLE"] == "thumbs-metadata"
    error_message = "The metadata consumer must record into its own table."
  }

  assert {
    condition = toset([for s in data.aws_iam_policy_document.permissions.statement : s.sid]) == toset([
      "ReadSourceObjects", "ListSourceKeys", "ConsumeNotifications", "RecordTasks", "WriteLogs",
    ])
    error_message = "The metadata consumer's role must not write objects."
  }
}

run "thumbnails_handler_needs_an_output_bucket" {
  command = plan

  variables {
    output_bucket_name = null
    output_bucket_arn  = null
  }

  expect_failures = [var.output_bucket_name, var.output_bucket_arn]
}

run "unknown_handler_is_rejected" {
  command = plan

  variables {
    handler = "bootstrap"
  }

  expect_failures = [var.handler]
}

run "memory_that_cannot_hold_an_image_at_the_pixel_budget_fails_the_plan" {
  command = plan

  variables {
    memory_size = 512
  }

  expect_failures = [var.memory_size]
}

run "memory_at_the_rule_for_the_skia_defaults_is_accepted" {
  command = plan

  variables {
    memory_size = 801
  }
}

run "one_megabyte_below_the_rule_for_the_skia_defaults_fails_the_plan" {
  command = plan

  variables {
    memory_size = 800
  }

  expect_failures = [var.memory_size]
}

run "a_lower_pixel_budget_fits_a_smaller_memory" {
  command = plan

  variables {
    memory_size           = 512
    max_source_pixels     = 25000000
    max_interlaced_pixels = 25000000
  }
}

run "libvips_streams_so_its_rule_uses_the_interlaced_budget" {
  command = plan

  variables {
    memory_size  = 457
    image_engine = "libvips"
  }
}

# The metadata handler holds a 16-bit RGBA interlaced PNG whole at the interlaced budget: 13 x max_interlaced_pixels.
run "memory_at_the_rule_for_the_metadata_handler_is_accepted" {
  command = plan

  variables {
    name               = "thumbs-metadata"
    handler            = "metadata"
    memory_size        = 600
    output_bucket_name = null
    output_bucket_arn  = null
  }
}

run "one_megabyte_below_the_rule_for_the_metadata_handler_fails_the_plan" {
  command = plan

  variables {
    name               = "thumbs-metadata"
    handler            = "metadata"
    memory_size        = 599
    output_bucket_name = null
    output_bucket_arn  = null
  }

  expect_failures = [var.memory_size]
}

# --- tracing, recursion guard, event source mapping options ---

run "defaults_keep_on_demand_mode_passthrough_tracing_and_no_mapping_metrics" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "PassThrough"
    error_message = "PassThrough must be the default tracing mode (what Lambda reports for a function that never set one, so the plan stays quiet)."
  }

  assert {
    condition     = length(aws_lambda_event_source_mapping.this.provisioned_poller_config) == 0 && length(aws_lambda_event_source_mapping.this.metrics_config) == 0
    error_message = "By default the mapping must be in on-demand mode without its own metrics."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency == 10
    error_message = "By default the mapping must keep maximum_concurrency = 10."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.permissions.statement : s if s.sid == "SendTraces"]) == 0
    error_message = "Without Active tracing the role must not be granted X-Ray."
  }
}

run "recursive_loops_are_terminated_explicitly" {
  command = plan

  assert {
    condition     = aws_lambda_function_recursion_config.this.recursive_loop == "Terminate" && aws_lambda_function_recursion_config.this.function_name == "thumbs"
    error_message = "The function's recursion config must be set to Terminate."
  }
}

run "active_tracing_grants_exactly_the_two_xray_actions" {
  command = plan

  variables {
    tracing_mode = "Active"
  }

  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "tracing_mode = Active must reach the function."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.permissions.statement : [s.effect, toset(s.actions), toset(s.resources)] if s.sid == "SendTraces"]) == [
      "Allow", toset(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]), toset(["*"]),
    ]
    error_message = "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords (on *, X-Ray has no resource ARNs for them)."
  }
}

run "unknown_tracing_mode_is_rejected" {
  command = plan

  variables {
    tracing_mode = "Sampled"
  }

  expect_failures = [var.tracing_mode]
}

run "mapping_metrics_turn_on_event_count" {
  command = plan

  variables {
    event_source_mapping_metrics = true
  }

  assert {
    condition     = tolist(aws_lambda_event_source_mapping.this.metrics_config[0].metrics) == tolist(["EventCount"])
    error_message = "event_source_mapping_metrics = true must set metrics_config { metrics = [\"EventCount\"] }."
  }
}

run "provisioned_mode_sets_pollers_without_maximum_concurrency" {
  command = plan

  variables {
    maximum_concurrency = null
    provisioned_pollers = { minimum = 5, maximum = 50 }
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.provisioned_poller_config[0].minimum_pollers == 5 && aws_lambda_event_source_mapping.this.provisioned_poller_config[0].maximum_pollers == 50
    error_message = "provisioned_pollers must reach provisioned_poller_config."
  }

  assert {
    condition     = length(aws_lambda_event_source_mapping.this.scaling_config) == 0
    error_message = "In provisioned mode the mapping must carry no scaling_config."
  }
}

run "provisioned_mode_defaults_to_aws_pollers_range" {
  command = plan

  variables {
    maximum_concurrency = null
    provisioned_pollers = {}
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.provisioned_poller_config[0].minimum_pollers == 2 && aws_lambda_event_source_mapping.this.provisioned_poller_config[0].maximum_pollers == 200
    error_message = "An empty provisioned_pollers must mean SQS's defaults, 2 to 200 pollers."
  }
}

run "provisioned_mode_with_maximum_concurrency_fails_the_plan" {
  command = plan

  variables {
    provisioned_pollers = { minimum = 2, maximum = 20 }
  }

  expect_failures = [var.provisioned_pollers]
}

run "pollers_out_of_range_are_rejected" {
  command = plan

  variables {
    maximum_concurrency = null
    provisioned_pollers = { minimum = 50, maximum = 10 }
  }

  expect_failures = [var.provisioned_pollers]
}
