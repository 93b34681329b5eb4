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
# streams); no action wildcards.
data "aws_iam_policy_document" "permissions" {
  statement {
    sid       = "ReadSourceObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${var.source_bucket_arn}/${var.source_prefix}*"]
  }

  # Without ListBucket, S3 answers a GetObject for a deleted key with 403, which looks like a permissions
  # mistake and is retried into the DLQ; with it, 404 NoSuchKey, which the function records as FAILED.
  statement {
    sid       = "ListSourceKeys"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [var.source_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.source_prefix}*"]
    }
  }

  statement {
    sid       = "WriteThumbnails"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${var.output_bucket_arn}/${var.output_prefix}*"]
  }

  statement {
    sid    = "ConsumeNotifications"
    effect = "Allow"
    actions = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]
    resources = [var.queue_arn]
  }

  statement {
    sid    = "RecordTasks"
    effect = "Allow"
    actions = [
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
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

# The handler string is the fixed contract with the code (assembly::type::method); the packaging
# tests check that the zip holds it, and a function test checks the environment names below.
resource "aws_lambda_function" "this" {
  function_name    = var.name
  description      = "ImagePattern thumbnailer: S3 notifications from SQS in, thumbnails and task records out."
  role             = aws_iam_role.this.arn
  runtime          = "dotnet10"
  handler          = "ImagePattern.Function::ImagePattern.Function.LambdaEntryPoint::HandleAsync"
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout_seconds
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)

  environment {
    variables = {
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
      FUNCTION_TIMEOUT_SECONDS     = tostring(var.timeout_seconds)
      POWERTOOLS_SERVICE_NAME      = var.service_name
      POWERTOOLS_LOG_LEVEL         = var.log_level
      POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
    }
  }

  # The function writes its own JSON lines and EMF metrics; the text format passes them through untouched.
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
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

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = var.queue_arn
  function_name                      = aws_lambda_function.this.arn
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  # The handler returns {"batchItemFailures":[...]}: only those messages are retried.
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
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
