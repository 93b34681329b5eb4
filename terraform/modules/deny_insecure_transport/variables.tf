variable "actions" {
  description = "Actions denied without TLS: the service's wildcard, such as [\"s3:*\"], [\"sqs:*\"] or [\"sns:*\"]."
  type        = list(string)

  validation {
    condition     = length(var.actions) > 0 && alltrue([for a in var.actions : can(regex("^[a-z0-9-]+:\\*$", a))])
    error_message = "actions must list service wildcards such as \"s3:*\": a TLS-only rule covers every action of the service."
  }
}

variable "resources" {
  description = "ARNs the statement covers (for a bucket: the bucket ARN and \"<bucket ARN>/*\")."
  type        = list(string)

  validation {
    condition     = length(var.resources) > 0 && alltrue([for r in var.resources : startswith(r, "arn:")])
    error_message = "resources must list at least one ARN."
  }
}
