output "source_bucket_name" {
  description = "Upload images here, under uploads/."
  value       = module.buckets.source_bucket_name
}

output "output_bucket_name" {
  description = "Thumbnails appear here, under thumbnails/."
  value       = module.buckets.output_bucket_name
}

output "queue_visibility_timeout_seconds" {
  description = "Derived visibility timeout: 6 x 120 s + 5 s = 725 s."
  value       = module.queue.visibility_timeout_seconds
}

output "function_name" {
  description = "Name of the thumbnailer function."
  value       = module.function.function_name
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = module.alarms.topic_arn
}

output "alarm_names" {
  description = "CloudWatch alarm names by kind."
  value       = module.alarms.alarm_names
}

output "dashboard_url" {
  description = "Console URL of the example's CloudWatch dashboard."
  value       = module.dashboard.dashboard_url
}
