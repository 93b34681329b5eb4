output "name" {
  description = "Name of the task table (the function's TASKS_TABLE)."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "ARN of the task table."
  value       = aws_dynamodb_table.this.arn
}

output "partition_key" {
  description = "Partition key of the table: the task id, a string."
  value       = aws_dynamodb_table.this.hash_key
}

output "ttl_attribute" {
  description = "Attribute holding each record's expiry in epoch seconds."
  value       = aws_dynamodb_table.this.ttl[0].attribute_name
}
