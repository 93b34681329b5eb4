output "function_name" {
  description = "Name of the consumer's function."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the consumer's function."
  value       = module.function.function_arn
}

output "function_architecture" {
  description = "Instruction set of the function (and of the bootstrap and native libraries in its package)."
  value       = module.function.architecture
}

output "function_environment" {
  description = "Environment variables the function starts with."
  value       = module.function.environment_variables
}

output "image_suffixes" {
  description = "Extensions the function processes, matched in any case (IMAGE_SUFFIXES), as a list."
  value       = module.function.image_suffixes
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = module.function.role_arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = module.function.log_group_name
}

output "queue_name" {
  description = "Name of the consumer's queue."
  value       = module.queue.name
}

output "queue_arn" {
  description = "ARN of the consumer's queue, given only once the queue policy lets the sender send: point an S3 notification, SNS subscription or EventBridge target at it and it waits for that policy (a message delivered earlier would be lost)."
  value       = module.queue.arn
  depends_on  = [module.queue]
}

output "queue_url" {
  description = "URL of the consumer's queue."
  value       = module.queue.url
}

output "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the queue, derived as 6 x function timeout + batching window."
  value       = module.queue.visibility_timeout_seconds
}

output "queue_policy_id" {
  description = "ID of the queue policy that lets the sender send. An S3 notification must depend on it: S3 tests delivery when the notification is saved."
  value       = module.queue.policy_id
}

output "dlq_name" {
  description = "Name of the dead-letter queue."
  value       = module.queue.dlq_name
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = module.queue.dlq_arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue (for inspecting and redriving failed messages)."
  value       = module.queue.dlq_url
}

output "table_name" {
  description = "Name of the consumer's DynamoDB task table."
  value       = module.tasks_table.name
}

output "table_arn" {
  description = "ARN of the consumer's task table."
  value       = module.tasks_table.arn
}

output "alarm_names" {
  description = "The consumer's CloudWatch alarm names by kind."
  value       = module.alarms.alarm_names
}

output "alarm_topic_arn" {
  description = "SNS topic the consumer's alarms notify (created here or passed in); null when there is none."
  value       = module.alarms.topic_arn
}

output "dashboard" {
  description = "What the stack's dashboard (modules/dashboard, its consumers input) draws for this consumer: function name and timeout, queue and DLQ names, EMF namespace and service, and the event source mapping's UUID and whether it publishes EventCount metrics."
  value = {
    function_name                = module.function.function_name
    function_timeout_seconds     = module.function.timeout_seconds
    queue_name                   = module.queue.name
    dlq_name                     = module.queue.dlq_name
    metrics_namespace            = var.function.metrics_namespace
    service_name                 = var.function.service_name
    event_source_mapping_uuid    = module.function.event_source_mapping_uuid
    event_source_mapping_metrics = module.function.event_source_mapping_metrics
  }
}
