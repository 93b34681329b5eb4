variable "name" {
  description = "Name of the SNS topic; the key's description names it too."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.name))
    error_message = "name must be 1-256 letters, digits, hyphens or underscores (a standard SNS topic name)."
  }
}

variable "publisher_service" {
  description = "The one service principal that publishes to the topic and uses its key, such as s3.amazonaws.com or cloudwatch.amazonaws.com."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*\\.amazonaws\\.com$", var.publisher_service))
    error_message = "publisher_service must be an AWS service principal such as \"s3.amazonaws.com\"."
  }
}

variable "source_account_id" {
  description = "The account the service must act for (aws:SourceAccount), in the key policy and the topic policy."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.source_account_id))
    error_message = "source_account_id must be a 12-digit AWS account ID."
  }
}

variable "source_arns" {
  description = "The resources the service may publish for (aws:SourceArn in the topic policy, and in the key policy when key_requires_source_arn): the source bucket, or an ARN pattern for the alarms of one stack."
  type        = list(string)

  validation {
    condition     = length(var.source_arns) > 0 && alltrue([for a in var.source_arns : startswith(a, "arn:")])
    error_message = "source_arns must list at least one ARN: without one, the service could publish on behalf of anything in the account."
  }
}

variable "source_arn_match" {
  description = "How aws:SourceArn is compared: ArnEquals for exact ARNs, ArnLike when source_arns hold wildcards (such as \"...:alarm:<prefix>-*\")."
  type        = string
  default     = "ArnEquals"

  validation {
    condition     = contains(["ArnEquals", "ArnLike"], var.source_arn_match)
    error_message = "source_arn_match must be ArnEquals or ArnLike."
  }

  # A wildcard under ArnEquals would read as an exact ARN in review while matching like ArnLike.
  validation {
    condition     = var.source_arn_match == "ArnLike" || alltrue([for a in var.source_arns : !strcontains(a, "*") && !strcontains(a, "?")])
    error_message = "source_arns with a wildcard (* or ?) need source_arn_match = \"ArnLike\"."
  }
}

variable "key_requires_source_arn" {
  description = "Whether the key policy also requires aws:SourceArn (one of source_arns). Set false only for a service whose requests to KMS carry no source ARN, such as CloudWatch alarms; aws:SourceAccount is required either way."
  type        = bool
  default     = true
}

variable "statement_ids" {
  description = "Sids of the two Allow statements: key (the service uses the key) and topic (the service publishes). Names in a policy only; set them to keep an existing policy unchanged."
  type = object({
    key   = optional(string, "PublisherUsesKey")
    topic = optional(string, "PublisherPublishes")
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for s in [var.statement_ids.key, var.statement_ids.topic] : can(regex("^[A-Za-z0-9]+$", s))])
    error_message = "Statement ids must be letters and digits only."
  }
}

variable "tags" {
  description = "Tags for the topic and key, on top of the provider's default_tags; null (the default) leaves the argument unset, as a topic written without the module had it."
  type        = map(string)
  default     = null
}
