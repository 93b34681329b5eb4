data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  # Bucket names are global: the account and region make the derived ones unique.
  name_suffix        = "${local.account_id}-${data.aws_region.current.id}"
  source_bucket_name = coalesce(var.source_bucket_name, "${var.name_prefix}-source-${local.name_suffix}")
  output_bucket_name = coalesce(var.output_bucket_name, "${var.name_prefix}-output-${local.name_suffix}")

  # The architecture picks the zip, so the bootstrap and native libraries inside always match the function's instruction set.
  package_path = coalesce(var.package_path, "${path.root}/../artifacts/function-${var.architecture}.zip")
}

module "tasks_table" {
  source = "./modules/tasks_table"

  name                = "${var.name_prefix}-tasks"
  deletion_protection = var.tasks_table_deletion_protection
}

module "buckets" {
  source = "./modules/buckets"

  source_bucket_name                 = local.source_bucket_name
  output_bucket_name                 = local.output_bucket_name
  source_prefix                      = var.source_prefix
  output_prefix                      = var.output_prefix
  source_versioning                  = var.source_bucket_versioning
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  source_expiration_days             = var.source_expiration_days
  output_expiration_days             = var.output_expiration_days
  force_destroy                      = var.force_destroy_buckets
  notification_queue_arns            = { thumbnails = module.queue.arn }
  notification_policy_ids            = [module.queue.policy_id]
}

module "queue" {
  source = "./modules/queue"

  name = "${var.name_prefix}-notifications"
  # The visibility timeout is derived inside the module from these two; it is not an input.
  function_timeout_seconds  = var.function_timeout_seconds
  batching_window_seconds   = var.batching_window_seconds
  max_receive_count         = var.max_receive_count
  message_retention_seconds = var.queue_message_retention_seconds
  sender_service            = "s3.amazonaws.com"
  sender_arn                = module.buckets.source_bucket_arn
  source_account_id         = local.account_id
}

module "function" {
  source = "./modules/function"

  name                  = "${var.name_prefix}-thumbnailer"
  package_path          = local.package_path
  architecture          = var.architecture
  memory_size           = var.function_memory_size
  timeout_seconds       = var.function_timeout_seconds
  log_retention_in_days = var.log_retention_in_days
  log_level             = var.log_level
  service_name          = var.service_name
  metrics_namespace     = var.metrics_namespace

  image_engine          = var.image_engine
  image_suffixes        = var.image_suffixes
  thumbnail_sizes       = var.thumbnail_sizes
  output_format         = var.output_format
  output_quality        = var.output_quality
  max_source_bytes      = var.max_source_bytes
  max_source_pixels     = var.max_source_pixels
  max_interlaced_pixels = var.max_interlaced_pixels
  task_ttl_days         = var.task_ttl_days

  source_bucket_name = module.buckets.source_bucket_name
  source_bucket_arn  = module.buckets.source_bucket_arn
  source_prefix      = var.source_prefix
  output_bucket_name = module.buckets.output_bucket_name
  output_bucket_arn  = module.buckets.output_bucket_arn
  output_prefix      = var.output_prefix
  tasks_table_name   = module.tasks_table.name
  tasks_table_arn    = module.tasks_table.arn

  queue_arn                        = module.queue.arn
  queue_visibility_timeout_seconds = module.queue.visibility_timeout_seconds
  batch_size                       = var.batch_size
  batching_window_seconds          = var.batching_window_seconds
  maximum_concurrency              = var.maximum_concurrency
}

module "alarms" {
  source = "./modules/alarms"

  name_prefix                          = var.name_prefix
  queue_name                           = module.queue.name
  dlq_name                             = module.queue.dlq_name
  function_name                        = module.function.function_name
  metrics_namespace                    = var.metrics_namespace
  service_name                         = var.service_name
  oldest_message_age_threshold_seconds = var.oldest_message_age_alarm_seconds
  notification_latency_threshold_ms    = var.notification_latency_alarm_ms
  create_topic                         = var.create_alarm_topic
  topic_arn                            = var.alarm_topic_arn
}
