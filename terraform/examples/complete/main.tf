# Every module with every knob turned: arm64, the libvips engine with AVIF output in three sizes,
# a key prefix on both sides, a versioned source bucket, expiring originals and thumbnails, a
# batching window (and so a longer derived visibility timeout), the event source mapping's own metrics, Active
# X-Ray tracing, an alarm topic with an optional e-mail subscription, a dashboard, and tags. Build the package first: make package ARCH=arm64.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = "ImagePattern"
      Example     = "complete"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  name                     = "thumbs-complete"
  account_id               = data.aws_caller_identity.current.account_id
  function_timeout_seconds = 120
  batching_window_seconds  = 5
  tags                     = { CostCentre = "media" }
}

module "tasks_table" {
  source = "../../modules/tasks_table"

  name                = "${local.name}-tasks"
  deletion_protection = true
  tags                = local.tags
}

module "queue" {
  source = "../../modules/queue"

  name                      = "${local.name}-notifications"
  function_timeout_seconds  = local.function_timeout_seconds
  batching_window_seconds   = local.batching_window_seconds
  max_receive_count         = 3
  message_retention_seconds = 604800
  sender_service            = "s3.amazonaws.com"
  sender_arn                = module.buckets.source_bucket_arn
  source_account_id         = local.account_id
  tags                      = local.tags
}

module "buckets" {
  source = "../../modules/buckets"

  source_bucket_name                 = "${local.name}-source-${local.account_id}-${var.region}"
  output_bucket_name                 = "${local.name}-output-${local.account_id}-${var.region}"
  source_prefix                      = "uploads/"
  output_prefix                      = "thumbnails/"
  source_versioning                  = true
  noncurrent_version_expiration_days = 14
  source_expiration_days             = 90
  output_expiration_days             = 365
  force_destroy                      = false
  notification_queue_arns            = { thumbnails = module.queue.arn }
  notification_policy_ids            = [module.queue.policy_id]
  tags                               = local.tags
}

module "function" {
  source = "../../modules/function"

  name                  = "${local.name}-thumbnailer"
  package_path          = "${path.module}/../../../artifacts/function-arm64.zip"
  architecture          = "arm64"
  memory_size           = 3008
  timeout_seconds       = local.function_timeout_seconds
  log_retention_in_days = 90
  log_level             = "DEBUG"
  service_name          = "thumbs-complete"
  metrics_namespace     = "ImagePattern/Examples"

  # libvips decodes AV1-coded HEIF only: a phone's .heic (HEVC) cannot be listed, and such uploads are Ignored.
  image_engine          = "libvips"
  image_suffixes        = [".jpg", ".jpeg", ".png", ".webp", ".avif", ".heif"]
  thumbnail_sizes       = ["96x96", "320x320", "1280x1280"]
  output_format         = "avif"
  output_quality        = 60
  max_source_bytes      = 104857600
  max_source_pixels     = 150000000
  max_interlaced_pixels = 40000000
  task_ttl_days         = 90

  source_bucket_name = module.buckets.source_bucket_name
  source_bucket_arn  = module.buckets.source_bucket_arn
  source_prefix      = "uploads/"
  output_bucket_name = module.buckets.output_bucket_name
  output_bucket_arn  = module.buckets.output_bucket_arn
  output_prefix      = "thumbnails/"
  tasks_table_name   = module.tasks_table.name
  tasks_table_arn    = module.tasks_table.arn

  queue_arn                        = module.queue.arn
  queue_visibility_timeout_seconds = module.queue.visibility_timeout_seconds
  batch_size                       = 20
  batching_window_seconds          = local.batching_window_seconds
  maximum_concurrency              = 50
  event_source_mapping_metrics     = true
  tracing_mode                     = "Active"
  tags                             = local.tags
}

module "alarms" {
  source = "../../modules/alarms"

  name_prefix                          = local.name
  queue_name                           = module.queue.name
  dlq_name                             = module.queue.dlq_name
  function_name                        = module.function.function_name
  metrics_namespace                    = "ImagePattern/Examples"
  service_name                         = "thumbs-complete"
  oldest_message_age_threshold_seconds = 900
  notification_latency_threshold_ms    = 60000
  function_errors_threshold            = 2
  function_throttles_threshold         = 5
  create_topic                         = true
  tags                                 = local.tags
}

module "dashboard" {
  source = "../../modules/dashboard"

  name = local.name
  consumers = {
    thumbnails = {
      function_name                = module.function.function_name
      function_timeout_seconds     = module.function.timeout_seconds
      queue_name                   = module.queue.name
      dlq_name                     = module.queue.dlq_name
      metrics_namespace            = "ImagePattern/Examples"
      service_name                 = "thumbs-complete"
      event_source_mapping_uuid    = module.function.event_source_mapping_uuid
      event_source_mapping_metrics = module.function.event_source_mapping_metrics
    }
  }
}

resource "aws_sns_topic_subscription" "alarm_email" {
  for_each = var.alarm_email == null ? toset([]) : toset([var.alarm_email])

  topic_arn = module.alarms.topic_arn
  protocol  = "email"
  endpoint  = each.value
}
