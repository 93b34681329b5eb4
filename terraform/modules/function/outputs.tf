output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "handler" {
  description = "Handler the bootstrap runs (_HANDLER): thumbnails or metadata."
  value       = aws_lambda_function.this.handler
}

output "architecture" {
  description = "Instruction set the function runs on."
  value       = var.architecture
}

output "source_code_hash" {
  description = "Base64 SHA-256 of the deployed package; unchanged while the package bytes are unchanged."
  value       = aws_lambda_function.this.source_code_hash
}

output "environment_variables" {
  description = "Environment the function starts with (names are the contract with the code)."
  value       = aws_lambda_function.this.environment[0].variables
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "event_source_mapping_uuid" {
  description = "UUID of the SQS event source mapping (to pause it: aws lambda update-event-source-mapping --no-enabled)."
  value       = aws_lambda_event_source_mapping.this.uuid
}

output "image_suffixes" {
  description = "Extensions the function processes (IMAGE_SUFFIXES as a list): image_suffixes, or the engine's default."
  value       = local.image_suffixes
}

output "timeout_seconds" {
  description = "Function timeout in seconds (what a dashboard draws Duration against)."
  value       = aws_lambda_function.this.timeout
}

output "event_source_mapping_metrics" {
  description = "Whether the event source mapping publishes its EventCount metrics (AWS/Lambda, dimension EventSourceMappingUUID)."
  value       = var.event_source_mapping_metrics
}

output "tracing_mode" {
  description = "X-Ray tracing mode of the function: PassThrough or Active."
  value       = aws_lambda_function.this.tracing_config[0].mode
}
