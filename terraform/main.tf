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
  sns_fanout   = var.trigger == "sns-fanout"
  eventbridge  = var.trigger == "eventbridge"
  queue_sender = { "s3-notification" = "s3.amazonaws.com", "sns-fanout" = "sns.amazonaws.com", eventbridge = "events.amazonaws.com" }[var.trigger]

  # The consumers besides the thumbnailer that run (var.consumers, only where uploads fan out), and every consumer's
  # name and queue: the subscriptions, rules and targets below are one per entry.
  other_consumers    = var.trigger == "s3-notification" ? {} : var.consumers
  consumers          = concat(["thumbnails"], keys(local.other_consumers))
  consumer_queue_arn = merge({ thumbnails = module.thumbnails.queue_arn }, { for name, consumer in module.consumer : name => consumer.queue_arn })

  # Who sends for each consumer (aws:SourceArn of its queue policy): the source bucket, the topic, or its own rule.
  queue_sender_arn = {
    for c in local.consumers : c => local.sns_fanout ? module.uploads_topic[0].arn : local.eventbridge ? aws_cloudwatch_event_rule.consumer[c].arn : module.buckets.source_bucket_arn
  }

  # What every consumer takes from the root's variables; a consumer merges in what differs (see module "consumer").
  consumer_function = {
    package_path            = local.package_path
    architecture            = var.architecture
    memory_size             = var.function_memory_size
    timeout_seconds         = var.function_timeout_seconds
    log_retention_in_days   = var.log_retention_in_days
    log_level               = var.log_level
    service_name            = var.service_name
    metrics_namespace       = var.metrics_namespace
    image_engine            = var.image_engine
    image_suffixes          = var.image_suffixes
    max_source_bytes        = var.max_source_bytes
    max_source_pixels       = var.max_source_pixels
    max_interlaced_pixels   = var.max_interlaced_pixels
    task_ttl_days           = var.task_ttl_days
    batch_size              = var.batch_size
    batching_window_seconds = var.batching_window_seconds
    maximum_concurrency     = var.maximum_concurrency
    # Provisioned mode, the mapping's metrics and tracing: validated together in modules/function.
    provisioned_pollers          = var.provisioned_pollers
    event_source_mapping_metrics = var.event_source_mapping_metrics
    tracing_mode                 = var.tracing_mode
  }
  consumer_source_bucket = {
    name   = module.buckets.source_bucket_name
    arn    = module.buckets.source_bucket_arn
    prefix = var.source_prefix
  }
  consumer_queue = {
    max_receive_count         = var.max_receive_count
    message_retention_seconds = var.queue_message_retention_seconds
  }
  consumer_alarms = {
    oldest_message_age_threshold_seconds = var.oldest_message_age_alarm_seconds
    notification_latency_threshold_ms    = var.notification_latency_alarm_ms
  }
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
  notification_queue_arns = var.trigger == "s3-notification" ? { thumbnails = module.thumbnails.queue_arn } : {}
  notification_topic_arn  = local.sns_fanout ? module.uploads_topic[0].arn : null
  eventbridge             = local.eventbridge
  notification_policy_ids = concat(
    var.trigger == "s3-notification" ? [module.thumbnails.queue_policy_id] : [],
    local.sns_fanout ? [module.uploads_topic[0].policy_id] : [],
  )
}

# ---------------------------------------------------------------------------------------------
# The consumers: modules/consumer each (table, queue + DLQ, function, alarms). The thumbnailer is its own block (it
# alone writes to the output bucket, keeps its original resource names and owns the alarm topic); every other
# consumer is one entry of var.consumers, and its topic subscription or EventBridge rule and target follow.
# ---------------------------------------------------------------------------------------------

module "thumbnails" {
  source = "./modules/consumer"

  # The thumbnailer keeps the names it had before consumers were a module: a new name would replace the resource.
  name  = "${var.name_prefix}-thumbnailer"
  names = { queue = "${var.name_prefix}-notifications", table = "${var.name_prefix}-tasks", alarm_prefix = var.name_prefix }

  handler  = "thumbnails"
  function = local.consumer_function
  thumbnails = {
    output_bucket_name = module.buckets.output_bucket_name
    output_bucket_arn  = module.buckets.output_bucket_arn
    output_prefix      = var.output_prefix
    sizes              = var.thumbnail_sizes
    format             = var.output_format
    quality            = var.output_quality
  }
  source_bucket             = local.consumer_source_bucket
  sender                    = { service = local.queue_sender, arn = local.queue_sender_arn["thumbnails"], account_id = local.account_id }
  queue                     = local.consumer_queue
  table_deletion_protection = var.tasks_table_deletion_protection
  # The stack's alarm topic, if any, is created here and shared by the other consumers.
  alarms = merge(local.consumer_alarms, { create_topic = var.create_alarm_topic, topic_arn = var.alarm_topic_arn })
}

# Every other consumer: same package, its key as the handler (the bootstrap's _HANDLER), names "<name_prefix>-<key>".
module "consumer" {
  source   = "./modules/consumer"
  for_each = local.other_consumers

  name                      = "${var.name_prefix}-${each.key}"
  handler                   = each.key
  function                  = merge(local.consumer_function, { memory_size = coalesce(each.value.memory_size, var.function_memory_size), service_name = "${var.service_name}-${each.key}" })
  source_bucket             = local.consumer_source_bucket
  sender                    = { service = local.queue_sender, arn = local.queue_sender_arn[each.key], account_id = local.account_id }
  queue                     = local.consumer_queue
  table_deletion_protection = var.tasks_table_deletion_protection
  alarms                    = merge(local.consumer_alarms, { topic_arn = module.thumbnails.alarm_topic_arn })
}

# One dashboard for the stack, a band of graphs per consumer (each consumer's dashboard output).
module "dashboard" {
  source = "./modules/dashboard"

  name      = var.name_prefix
  consumers = merge({ thumbnails = module.thumbnails.dashboard }, { for name, consumer in module.consumer : name => consumer.dashboard })
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

  # A message delivered before the queue lets the topic send would be lost: a consumer's queue_arn is given only
  # once its queue policy is in place (modules/consumer/outputs.tf), so the subscription waits for it.
}

# ---------------------------------------------------------------------------------------------
# Fan-out: eventbridge (S3 -> EventBridge -> one rule and queue per consumer)
# ---------------------------------------------------------------------------------------------

locals {
  # EventBridge ORs the matchers of one field, so a prefix and a suffix cannot both be required of the key.
  # Without a source prefix the rule matches the extensions, ignoring case; with one it matches the prefix and the
  # function's IMAGE_SUFFIXES filter (also case-insensitive) does the rest, as in the other modes.
  object_key_pattern = jsondecode(var.source_prefix == "" ? jsonencode([
    for s in module.thumbnails.image_suffixes : { suffix = { equals-ignore-case = s } }
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
  # Waits for the queue policy, as the subscriptions do (queue_arn).
  arn = local.consumer_queue_arn[each.key]
}
