output "source_bucket_name" {
  description = "Upload images here (under source_prefix) to make thumbnails."
  value       = module.buckets.source_bucket_name
}

output "output_bucket_name" {
  description = "Thumbnails appear here, under output_prefix."
  value       = module.buckets.output_bucket_name
}

output "notification_filters" {
  description = "The source bucket's notification rules (prefix-only: the function picks images by IMAGE_SUFFIXES, in any case)."
  value       = module.buckets.notification_filters
}

output "image_suffixes" {
  description = "Extensions the function processes, matched in any case (IMAGE_SUFFIXES)."
  value       = split(",", module.thumbnails.function_environment["IMAGE_SUFFIXES"])
}

output "queue_url" {
  description = "URL of the notification queue."
  value       = module.thumbnails.queue_url
}

output "queue_arn" {
  description = "ARN of the notification queue."
  value       = module.thumbnails.queue_arn
}

output "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the notification queue, derived as 6 x function timeout + batching window."
  value       = module.thumbnails.queue_visibility_timeout_seconds
}

output "dlq_url" {
  description = "URL of the dead-letter queue (for inspecting and redriving failed notifications)."
  value       = module.thumbnails.dlq_url
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = module.thumbnails.dlq_arn
}

output "function_name" {
  description = "Name of the thumbnailer function."
  value       = module.thumbnails.function_name
}

output "function_arn" {
  description = "ARN of the thumbnailer function."
  value       = module.thumbnails.function_arn
}

output "function_architecture" {
  description = "Instruction set of the function (and of the bootstrap and native libraries in its package)."
  value       = module.thumbnails.function_architecture
}

output "function_environment" {
  description = "Environment variables the function starts with."
  value       = module.thumbnails.function_environment
}

output "function_role_arn" {
  description = "ARN of the function's execution role."
  value       = module.thumbnails.role_arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = module.thumbnails.log_group_name
}

output "tasks_table_name" {
  description = "DynamoDB table of task records."
  value       = module.thumbnails.table_name
}

output "tasks_table_arn" {
  description = "ARN of the task table."
  value       = module.thumbnails.table_arn
}

output "alarm_names" {
  description = "CloudWatch alarm names by kind."
  value       = module.thumbnails.alarm_names
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify; null when there is none."
  value       = module.thumbnails.alarm_topic_arn
}

output "dashboard_url" {
  description = "Console URL of the stack's CloudWatch dashboard (a band of graphs per consumer)."
  value       = module.dashboard.dashboard_url
}

output "trigger" {
  description = "How uploads reach the consumers: s3-notification, sns-fanout or eventbridge."
  value       = var.trigger
}

output "uploads_topic_arn" {
  description = "The encrypted SNS topic every upload is published to (sns-fanout); null in the other modes."
  value       = local.sns_fanout ? module.uploads_topic[0].arn : null
}

output "eventbridge_rule_arns" {
  description = "The EventBridge rule of each consumer (eventbridge), by consumer; empty in the other modes."
  value       = { for name, rule in aws_cloudwatch_event_rule.consumer : name => rule.arn }
}

output "consumers" {
  description = "Every consumer besides the thumbnailer that runs (var.consumers in the fan-out modes), by handler name: its function, queue, dead-letter queue, table, log group and alarms. Empty with s3-notification."
  value = {
    for name, consumer in module.consumer : name => {
      function_name  = consumer.function_name
      queue_url      = consumer.queue_url
      dlq_url        = consumer.dlq_url
      table_name     = consumer.table_name
      log_group_name = consumer.log_group_name
      alarm_names    = consumer.alarm_names
    }
  }
}
