output "arn" {
  description = "ARN of the topic."
  value       = aws_sns_topic.this.arn
}

output "name" {
  description = "Name of the topic."
  value       = aws_sns_topic.this.name
}

output "key_arn" {
  description = "ARN of the customer managed KMS key that encrypts the topic."
  value       = aws_kms_key.this.arn
}

output "policy_id" {
  description = "ID of the topic policy that lets the service publish. Make whatever starts publishing (an S3 notification, say) depend on it."
  value       = aws_sns_topic_policy.this.id
}

output "publisher" {
  description = "Who may publish and use the key, as the two policies say: service, source_account_id, source_arns, source_arn_match (ArnEquals or ArnLike) and key_requires_source_arn."
  value = {
    service                 = var.publisher_service
    source_account_id       = var.source_account_id
    source_arns             = var.source_arns
    source_arn_match        = var.source_arn_match
    key_requires_source_arn = var.key_requires_source_arn
  }
}

output "tls_only_statement" {
  description = "The topic policy's TLS-only statement as an object (the shared deny_insecure_transport statement), for callers' tests."
  value       = module.deny_insecure_transport.statement
}
