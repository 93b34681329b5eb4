output "json" {
  description = "A policy document holding only the TLS-only statement: a bucket or queue policy as is, or one of the source_policy_documents of an aws_iam_policy_document."
  value = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.statement]
  })
}

output "statement" {
  description = "The statement as an object (Sid, Effect, Principal, Action, Resource, Condition), for tests and for callers that jsonencode their own policy."
  value       = local.statement
}
