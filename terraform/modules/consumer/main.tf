# One consumer of the uploads: its task table, its queue and dead-letter queue, its function and its alarms. The
# root calls this once per consumer (thumbnails, metadata, one of your own); how uploads reach the queue (the
# sender) is the root's choice.

module "tasks_table" {
  source = "../tasks_table"

  name                = coalesce(var.names.table, var.name)
  deletion_protection = var.table_deletion_protection
  tags                = var.tags
}

module "queue" {
  source = "../queue"

  name = coalesce(var.names.queue, var.name)
  # The visibility timeout is derived inside the module from the function's own timeout and batching window.
  function_timeout_seconds  = var.function.timeout_seconds
  batching_window_seconds   = var.function.batching_window_seconds
  max_receive_count         = var.queue.max_receive_count
  message_retention_seconds = var.queue.message_retention_seconds
  sender_service            = var.sender.service
  sender_arn                = var.sender.arn
  source_account_id         = var.sender.account_id
  tags                      = var.tags
}

module "function" {
  source = "../function"

  name                  = var.name
  handler               = var.handler
  package_path          = var.function.package_path
  architecture          = var.function.architecture
  memory_size           = var.function.memory_size
  timeout_seconds       = var.function.timeout_seconds
  log_retention_in_days = var.function.log_retention_in_days
  log_level             = var.function.log_level
  service_name          = var.function.service_name
  metrics_namespace     = var.function.metrics_namespace

  image_engine          = var.function.image_engine
  image_suffixes        = var.function.image_suffixes
  max_source_bytes      = var.function.max_source_bytes
  max_source_pixels     = var.function.max_source_pixels
  max_interlaced_pixels = var.function.max_interlaced_pixels
  task_ttl_days         = var.function.task_ttl_days

  # null for every handler but thumbnails: the function module then uses its defaults, drops the thumbnail
  # settings from the environment and grants no write to an output bucket.
  output_bucket_name = try(var.thumbnails.output_bucket_name, null)
  output_bucket_arn  = try(var.thumbnails.output_bucket_arn, null)
  output_prefix      = try(var.thumbnails.output_prefix, null)
  thumbnail_sizes    = try(var.thumbnails.sizes, null)
  output_format      = try(var.thumbnails.format, null)
  output_quality     = try(var.thumbnails.quality, null)

  source_bucket_name = var.source_bucket.name
  source_bucket_arn  = var.source_bucket.arn
  source_prefix      = var.source_bucket.prefix
  tasks_table_name   = module.tasks_table.name
  tasks_table_arn    = module.tasks_table.arn

  queue_arn                        = module.queue.arn
  queue_visibility_timeout_seconds = module.queue.visibility_timeout_seconds
  batch_size                       = var.function.batch_size
  batching_window_seconds          = var.function.batching_window_seconds
  maximum_concurrency              = var.function.maximum_concurrency
  provisioned_pollers              = var.function.provisioned_pollers
  event_source_mapping_metrics     = var.function.event_source_mapping_metrics
  tracing_mode                     = var.function.tracing_mode
  tags                             = var.tags
}

module "alarms" {
  source = "../alarms"

  name_prefix                          = coalesce(var.names.alarm_prefix, var.name)
  queue_name                           = module.queue.name
  dlq_name                             = module.queue.dlq_name
  function_name                        = module.function.function_name
  metrics_namespace                    = var.function.metrics_namespace
  service_name                         = var.function.service_name
  oldest_message_age_threshold_seconds = var.alarms.oldest_message_age_threshold_seconds
  notification_latency_threshold_ms    = var.alarms.notification_latency_threshold_ms
  create_topic                         = var.alarms.create_topic
  topic_arn                            = var.alarms.topic_arn
  tags                                 = var.tags
}
