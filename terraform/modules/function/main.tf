locals {
  # What each engine decodes, by key extension; the first list is also the default of image_suffixes for skia,
  # the second for libvips. The function matches IMAGE_SUFFIXES case-insensitively, so only lowercase is listed.
  engine_suffixes = {
    skia    = [".jpg", ".jpeg", ".png", ".webp", ".gif"]
    libvips = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heif"]
  }

  image_suffixes = coalesce(var.image_suffixes, local.engine_suffixes[var.image_engine])

  # The metadata consumer writes no thumbnails: it gets the thumbnailer's environment without these.
  thumbnail_only = ["OUTPUT_BUCKET", "OUTPUT_PREFIX", "THUMBNAIL_SIZES", "OUTPUT_FORMAT", "OUTPUT_QUALITY"]

  description = {
    thumbnails = "ImagePattern thumbnailer: S3 notifications from SQS in, thumbnails and task records out."
    metadata   = "ImagePattern image metadata: S3 notifications from SQS in, one metadata record per upload out."
  }
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "LambdaAssumesRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  description        = "Execution role of the ${var.name} Lambda function."
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
  tags               = var.tags
}

# Every statement names exact resources (at most a bucket ARN plus key prefix, or the log group plus its
# streams); no action wildcards. The one exception is X-Ray's, which takes no resource but "*" (SendTraces).
data "aws_iam_policy_document" "permissions" {
  # GetObjectVersion: a record from a versioned bucket names its versionId and the read asks for exactly that
  # version, which S3 authorises as GetObjectVersion. Granted whether or not versioning is on today, so turning
  # it on later never sends every upload to the DLQ.
  statement {
    sid       = "ReadSourceObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${var.source_bucket_arn}/${var.source_prefix}*"]
  }

  # No code lists the bucket. The grant is there for the answer S3 gives a read of a key that no longer exists:
  # with ListBucket it is 404 NoSuchKey, which the function records as a permanent FAILED task; without it 403
  # AccessDenied, which looks like a permissions fault and is retried into the DLQ. With a source prefix the
  # grant covers listings under that prefix only; with none, s3:prefix would narrow nothing (and is absent from a
  # request without one, where a StringLike on it would not match), so the grant is unconditioned.
  statement {
    sid       = "ListSourceKeys"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [var.source_bucket_arn]

    dynamic "condition" {
      for_each = var.source_prefix == "" ? [] : [var.source_prefix]

      content {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["${condition.value}*"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.handler == "thumbnails" ? [var.output_bucket_arn] : []

    content {
      sid       = "WriteThumbnails"
      effect    = "Allow"
      actions   = ["s3:PutObject"]
      resources = ["${statement.value}/${var.output_prefix}*"]
    }
  }

  statement {
    sid    = "ConsumeNotifications"
    effect = "Allow"
    actions = [
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]
    resources = [var.queue_arn]
  }

  # Exactly the calls of the task ledger (claim, complete, fail and release are conditional UpdateItems; a lost
  # claim reads the record with GetItem). A C# test compares this list with the SDK calls in the code.
  statement {
    sid    = "RecordTasks"
    effect = "Allow"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
    ]
    resources = [var.tasks_table_arn]
  }

  statement {
    sid    = "WriteLogs"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    # The group itself and the streams in it (Lambda names the streams, so they cannot be listed).
    resources = [
      aws_cloudwatch_log_group.this.arn,
      "${aws_cloudwatch_log_group.this.arn}:*",
    ]
  }

  # Active tracing: Lambda's own segments are sent with the function's role. X-Ray has no resource-level
  # permissions for these two actions, so "*" is the only resource they take; granted only when tracing is Active.
  dynamic "statement" {
    for_each = var.tracing_mode == "Active" ? [var.tracing_mode] : []

    content {
      sid    = "SendTraces"
      effect = "Allow"
      actions = [
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-permissions"
  role   = aws_iam_role.this.name
  policy = data.aws_iam_policy_document.permissions.json
}

# Created before the function so Lambda never creates it without a retention (and the role needs no logs:CreateLogGroup).
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_in_days
  tags              = var.tags
}

# A custom runtime: the zip holds a Native AOT executable `bootstrap`, and the handler string is the name the
# bootstrap reads from _HANDLER to pick its consumer: "thumbnails", "metadata" or yours, one package for all. The
# environment names below are the contract with the code (a C# test compares them with the code's list).
resource "aws_lambda_function" "this" {
  function_name    = var.name
  description      = lookup(local.description, var.handler, "ImagePattern ${var.handler} consumer: S3 notifications from SQS in, task records out.")
  role             = aws_iam_role.this.arn
  runtime          = "provided.al2023"
  handler          = var.handler
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout_seconds
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)

  environment {
    variables = {
      for name, value in {
        OUTPUT_BUCKET                = var.output_bucket_name
        OUTPUT_PREFIX                = var.output_prefix
        SOURCE_BUCKET                = var.source_bucket_name
        THUMBNAIL_SIZES              = join(",", var.thumbnail_sizes)
        OUTPUT_FORMAT                = var.output_format
        OUTPUT_QUALITY               = tostring(var.output_quality)
        TASKS_TABLE                  = var.tasks_table_name
        MAX_SOURCE_BYTES             = tostring(var.max_source_bytes)
        MAX_SOURCE_PIXELS            = tostring(var.max_source_pixels)
        MAX_INTERLACED_PIXELS        = tostring(var.max_interlaced_pixels)
        TASK_TTL_DAYS                = tostring(var.task_ttl_days)
        IMAGE_ENGINE                 = var.image_engine
        IMAGE_SUFFIXES               = join(",", local.image_suffixes)
        POWERTOOLS_SERVICE_NAME      = var.service_name
        POWERTOOLS_LOG_LEVEL         = var.log_level
        POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
      } : name => value if !(var.handler != "thumbnails" && contains(local.thumbnail_only, name))
    }
  }

  # The function writes its own JSON lines and EMF metrics; the text format passes them through untouched.
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  # PassThrough (the default, and what Lambda reports for a function that never set it, so the plan stays quiet)
  # keeps an upstream trace header without sampling; Active samples and sends Lambda's segments (SendTraces).
  tracing_config {
    mode = var.tracing_mode
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = fileexists(var.package_path)
      error_message = "The deployment package ${var.package_path} does not exist. Build it with `make package ARCH=${var.architecture}`."
    }
  }

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

# Lambda stops a loop it detects between this function and SQS, SNS or S3 (an output that notifies the queue
# again) after about 16 rounds. Terminate is AWS's default; set here so no one turns it off unseen. The output
# bucket is never the source bucket (the output_bucket_name validation); this is the guard behind that check.
resource "aws_lambda_function_recursion_config" "this" {
  function_name  = aws_lambda_function.this.function_name
  recursive_loop = "Terminate"
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = var.queue_arn
  function_name                      = aws_lambda_function.this.arn
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  # The handler returns {"batchItemFailures":[...]}: only those messages are retried.
  function_response_types = ["ReportBatchItemFailures"]

  # On-demand mode (the default): Lambda scales the pollers, and maximum_concurrency caps the invocations.
  dynamic "scaling_config" {
    for_each = var.maximum_concurrency == null ? [] : [var.maximum_concurrency]

    content {
      maximum_concurrency = scaling_config.value
    }
  }

  # Provisioned mode: pollers kept ready between the minimum and the maximum (billed per poller-hour, see README).
  # AWS takes this or maximum_concurrency, not both (the provisioned_pollers validation says so at plan time).
  dynamic "provisioned_poller_config" {
    for_each = var.provisioned_pollers == null ? [] : [var.provisioned_pollers]

    content {
      minimum_pollers = provisioned_poller_config.value.minimum
      maximum_pollers = provisioned_poller_config.value.maximum
    }
  }

  # The mapping's own EventCount metrics (PolledEventCount, InvokedEventCount, ...), off by default: they are
  # billed as CloudWatch metrics (see README).
  dynamic "metrics_config" {
    for_each = var.event_source_mapping_metrics ? ["EventCount"] : []

    content {
      metrics = [metrics_config.value]
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.queue_visibility_timeout_seconds >= 6 * var.timeout_seconds + var.batching_window_seconds
      error_message = "The queue's visibility timeout (${var.queue_visibility_timeout_seconds} s) is shorter than 6 x the function timeout + the batching window (${6 * var.timeout_seconds + var.batching_window_seconds} s): messages still being processed would be delivered again. Derive it with the queue module from the same timeout and window."
    }

    precondition {
      condition     = var.batch_size <= 10 || var.batching_window_seconds >= 1
      error_message = "A batch_size above 10 needs batching_window_seconds of at least 1 (an SQS event source rule)."
    }
  }

  # Creating the mapping checks that the role may receive from the queue.
  depends_on = [aws_iam_role_policy.this]
}
