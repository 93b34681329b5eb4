data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  # Bucket names are global: the account and region make the derived ones unique.
  name_suffix        = "${local.account_id}-${data.aws_region.current.id}"
  source_bucket_name = coalesce(var.source_bucket_name, "${var.name_prefix}-source-${local.name_suffix}")
  output_bucket_name = coalesce(var.output_bucket_name, "${var.name_prefix}-output-${local.name_suffix}")

  # The architecture picks the zip, so the bootstrap and native libraries inside always match the function's instruction set.
  package_path = coalesce(var.package_path, "${path.root}/../artifacts/function-${var.architecture}.zip")

  # How uploads reach the consumers (see README, "Triggers"): straight from S3 to the one queue, or through an
  # SNS topic or EventBridge to one queue per consumer. Only the fan-out modes can feed a second consumer.
  sns_fanout         = var.trigger == "sns-fanout"
  eventbridge        = var.trigger == "eventbridge"
  metadata_consumer  = coalesce(var.enable_metadata_consumer, var.trigger != "s3-notification")
  consumers          = local.metadata_consumer ? ["thumbnails", "metadata"] : ["thumbnails"]
  queue_sender       = { "s3-notification" = "s3.amazonaws.com", "sns-fanout" = "sns.amazonaws.com", eventbridge = "events.amazonaws.com" }[var.trigger]
  consumer_queue_arn = merge({ thumbnails = module.queue.arn }, local.metadata_consumer ? { metadata = module.metadata_queue[0].arn } : {})
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

  # One destination per mode; the notification waits for the policy that lets S3 send to it (EventBridge needs none).
  notification_queue_arns = var.trigger == "s3-notification" ? { thumbnails = module.queue.arn } : {}
  notification_topic_arn  = local.sns_fanout ? module.uploads_topic[0].arn : null
  eventbridge             = local.eventbridge
  notification_policy_ids = concat(
    var.trigger == "s3-notification" ? [module.queue.policy_id] : [],
    local.sns_fanout ? [module.uploads_topic[0].policy_id] : [],
  )
}

module "queue" {
  source = "./modules/queue"

  name = "${var.name_prefix}-notifications"
  # The visibility timeout is derived inside the module from these two; it is not an input.
  function_timeout_seconds  = var.function_timeout_seconds
  batching_window_seconds   = var.batching_window_seconds
  max_receive_count         = var.max_receive_count
  message_retention_seconds = var.queue_message_retention_seconds
  sender_service            = local.queue_sender
  sender_arn                = local.sns_fanout ? module.uploads_topic[0].arn : local.eventbridge ? aws_cloudwatch_event_rule.consumer["thumbnails"].arn : module.buckets.source_bucket_arn
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

# ---------------------------------------------------------------------------------------------
# Fan-out: sns-fanout (S3 -> encrypted topic -> one queue per consumer)
# ---------------------------------------------------------------------------------------------

# S3 publishes to an encrypted topic only with a customer managed key whose policy lets S3 use it: for this
# account and the source bucket alone, in the key policy and the topic policy alike.
module "uploads_topic" {
  source = "./modules/encrypted_topic"
  count  = local.sns_fanout ? 1 : 0

  name              = "${var.name_prefix}-uploads"
  publisher_service = "s3.amazonaws.com"
  source_account_id = local.account_id
  source_arns       = [module.buckets.source_bucket_arn]
  source_arn_match  = "ArnEquals"
  # The statements keep the names they had before the module existed, so the policies do not change.
  statement_ids = { key = "SourceBucketPublishesEncrypted", topic = "SourceBucketPublishes" }
}

# Enveloped delivery (not raw): the function reads the SNS envelope and the S3 event inside it.
resource "aws_sns_topic_subscription" "consumer" {
  for_each = local.sns_fanout ? toset(local.consumers) : toset([])

  topic_arn            = module.uploads_topic[0].arn
  protocol             = "sqs"
  endpoint             = local.consumer_queue_arn[each.key]
  raw_message_delivery = false

  # A message delivered before the queue lets the topic send would be lost.
  depends_on = [module.queue, module.metadata_queue]
}

# ---------------------------------------------------------------------------------------------
# Fan-out: eventbridge (S3 -> EventBridge -> one rule and queue per consumer)
# ---------------------------------------------------------------------------------------------

locals {
  # EventBridge ORs the matchers of one field, so a prefix and a suffix cannot both be required of the key.
  # Without a source prefix the rule matches the extensions, ignoring case; with one it matches the prefix and the
  # function's IMAGE_SUFFIXES filter (also case-insensitive) does the rest, as in the other modes.
  object_key_pattern = jsondecode(var.source_prefix == "" ? jsonencode([
    for s in module.function.image_suffixes : { suffix = { equals-ignore-case = s } }
  ]) : jsonencode([{ prefix = var.source_prefix }]))
}

resource "aws_cloudwatch_event_rule" "consumer" {
  for_each = local.eventbridge ? toset(local.consumers) : toset([])

  name        = "${var.name_prefix}-${each.key}"
  description = "Uploads to ${local.source_bucket_name} for the ${each.key} consumer."
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [local.source_bucket_name] }
      object = { key = local.object_key_pattern }
    }
  })
}

resource "aws_cloudwatch_event_target" "consumer" {
  for_each = aws_cloudwatch_event_rule.consumer

  rule = each.value.name
  arn  = local.consumer_queue_arn[each.key]

  depends_on = [module.queue, module.metadata_queue]
}

# ---------------------------------------------------------------------------------------------
# The second consumer: image metadata (same package, handler "metadata"); on by default in the fan-out modes.
# To add a consumer of your own, copy these four blocks and add its name to local.consumers.
# ---------------------------------------------------------------------------------------------

module "metadata_table" {
  source = "./modules/tasks_table"
  count  = local.metadata_consumer ? 1 : 0

  name                = "${var.name_prefix}-metadata"
  deletion_protection = var.tasks_table_deletion_protection
}

module "metadata_queue" {
  source = "./modules/queue"
  count  = local.metadata_consumer ? 1 : 0

  name                      = "${var.name_prefix}-metadata"
  function_timeout_seconds  = var.function_timeout_seconds
  batching_window_seconds   = var.batching_window_seconds
  max_receive_count         = var.max_receive_count
  message_retention_seconds = var.queue_message_retention_seconds
  sender_service            = local.queue_sender
  sender_arn                = local.sns_fanout ? module.uploads_topic[0].arn : local.eventbridge ? aws_cloudwatch_event_rule.consumer["metadata"].arn : module.buckets.source_bucket_arn
  source_account_id         = local.account_id
}

module "metadata_function" {
  source = "./modules/function"
  count  = local.metadata_consumer ? 1 : 0

  name                  = "${var.name_prefix}-metadata"
  handler               = "metadata"
  package_path          = local.package_path
  architecture          = var.architecture
  memory_size           = var.metadata_function_memory_size
  timeout_seconds       = var.function_timeout_seconds
  log_retention_in_days = var.log_retention_in_days
  log_level             = var.log_level
  service_name          = "${var.service_name}-metadata"
  metrics_namespace     = var.metrics_namespace

  image_engine          = var.image_engine
  image_suffixes        = var.image_suffixes
  max_source_bytes      = var.max_source_bytes
  max_source_pixels     = var.max_source_pixels
  max_interlaced_pixels = var.max_interlaced_pixels
  task_ttl_days         = var.task_ttl_days

  source_bucket_name = module.buckets.source_bucket_name
  source_bucket_arn  = module.buckets.source_bucket_arn
  source_prefix      = var.source_prefix
  tasks_table_name   = module.metadata_table[0].name
  tasks_table_arn    = module.metadata_table[0].arn

  queue_arn                        = module.metadata_queue[0].arn
  queue_visibility_timeout_seconds = module.metadata_queue[0].visibility_timeout_seconds
  batch_size                       = var.batch_size
  batching_window_seconds          = var.batching_window_seconds
  maximum_concurrency              = var.maximum_concurrency
}

module "metadata_alarms" {
  source = "./modules/alarms"
  count  = local.metadata_consumer ? 1 : 0

  name_prefix                          = "${var.name_prefix}-metadata"
  queue_name                           = module.metadata_queue[0].name
  dlq_name                             = module.metadata_queue[0].dlq_name
  function_name                        = module.metadata_function[0].function_name
  metrics_namespace                    = var.metrics_namespace
  service_name                         = "${var.service_name}-metadata"
  oldest_message_age_threshold_seconds = var.oldest_message_age_alarm_seconds
  notification_latency_threshold_ms    = var.notification_latency_alarm_ms
  create_topic                         = false
  topic_arn                            = module.alarms.topic_arn
}
