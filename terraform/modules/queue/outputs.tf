output "name" {
  description = "Name of the notification queue."
  value       = aws_sqs_queue.main.name
}

output "arn" {
  description = "ARN of the notification queue: the S3 notification target and the event source of the function."
  value       = aws_sqs_queue.main.arn
}

output "url" {
  description = "URL of the notification queue."
  value       = aws_sqs_queue.main.url
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout of the notification queue, derived as 6 x function timeout + batching window."
  value       = aws_sqs_queue.main.visibility_timeout_seconds
}

output "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  value       = var.max_receive_count
}

output "policy_id" {
  description = "ID of the queue policy that lets the source bucket send. Make the bucket notification depend on it: S3 tests delivery when the notification is saved."
  value       = aws_sqs_queue_policy.main.id
}

output "dlq_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.dlq.name
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue (for redrive tooling)."
  value       = aws_sqs_queue.dlq.url
}
