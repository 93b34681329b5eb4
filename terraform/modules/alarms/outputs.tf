output "alarm_arns" {
  description = "ARNs of the alarms by kind: dlq-not-empty, oldest-message-age, function-errors, function-throttles, notification-latency."
  value       = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.arn }
}

output "alarm_names" {
  description = "Names of the alarms by kind."
  value       = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.alarm_name }
}

output "topic_arn" {
  description = "SNS topic the alarms notify (created here or passed in); null when there is none."
  value       = local.topic_arn
}
