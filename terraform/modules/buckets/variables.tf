variable "source_bucket_name" {
  description = "Name of the bucket uploads land in. S3 bucket names are global: include something unique such as the account ID."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.source_bucket_name)) && !strcontains(var.source_bucket_name, "--")
    error_message = "The source bucket name must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit."
  }
}

variable "output_bucket_name" {
  description = "Name of the bucket thumbnails are written to. It must differ from the source bucket, so thumbnails can never trigger the pipeline again."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.output_bucket_name)) && !strcontains(var.output_bucket_name, "--")
    error_message = "The output bucket name must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit."
  }

  validation {
    condition     = var.output_bucket_name != var.source_bucket_name
    error_message = "The output bucket must not be the source bucket: every thumbnail would be processed again, in a loop."
  }
}

variable "source_prefix" {
  description = "Only keys under this prefix notify (\"\" = the whole bucket), for example \"uploads/\"; source_expiration_days applies under it."
  type        = string
  default     = ""

  validation {
    condition     = !startswith(var.source_prefix, "/") && length(var.source_prefix) <= 512
    error_message = "source_prefix must not start with \"/\" (S3 keys have no leading slash) and must be at most 512 characters."
  }
}

variable "output_prefix" {
  description = "Key prefix of the thumbnails in the output bucket (\"\" = the whole bucket); output_expiration_days applies under it."
  type        = string
  default     = ""

  validation {
    condition     = !startswith(var.output_prefix, "/") && length(var.output_prefix) <= 512
    error_message = "output_prefix must not start with \"/\" and must be at most 512 characters."
  }
}

variable "source_versioning" {
  description = "Turn on versioning of the source bucket; earlier versions of an overwritten or deleted upload then expire after noncurrent_version_expiration_days."
  type        = bool
  default     = false
  # A caller passing null (the root, for a setting left unset) gets this default.
  nullable = false
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted version of an upload is kept when source_versioning is on."
  type        = number
  default     = 30
  # A caller passing null (the root, for a setting left unset) gets this default.
  nullable = false

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number from 1 to 3650."
  }
}

variable "source_expiration_days" {
  description = "Days after which uploads under source_prefix are deleted; null keeps them."
  type        = number
  default     = null

  validation {
    condition     = var.source_expiration_days == null || try(var.source_expiration_days >= 1 && var.source_expiration_days <= 36500 && floor(var.source_expiration_days) == var.source_expiration_days, false)
    error_message = "source_expiration_days must be null or a whole number of days from 1 to 36500."
  }
}

variable "output_expiration_days" {
  description = "Days after which thumbnails under output_prefix are deleted; null keeps them. Task records do not follow: a re-upload within task_ttl_days stays a duplicate."
  type        = number
  default     = null

  validation {
    condition     = var.output_expiration_days == null || try(var.output_expiration_days >= 1 && var.output_expiration_days <= 36500 && floor(var.output_expiration_days) == var.output_expiration_days, false)
    error_message = "output_expiration_days must be null or a whole number of days from 1 to 36500."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete the buckets with their objects. Keep false where the images matter."
  type        = bool
  default     = false
  # A caller passing null (the root, for a setting left unset) gets this default.
  nullable = false
}

variable "notification_queue_arns" {
  description = "SQS queues that receive s3:ObjectCreated:* for every key under source_prefix, by rule id. S3 allows one rule per prefix and event, so at most one destination in all (queue or topic): fan out through notification_topic_arn or eventbridge."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for id, arn in var.notification_queue_arns : can(regex("^arn:[a-z-]+:sqs:", arn)) && can(regex("^[A-Za-z0-9_-]{1,64}$", id))])
    error_message = "notification_queue_arns must map rule ids (letters, digits, - and _) to SQS queue ARNs."
  }
}

variable "notification_topic_arn" {
  description = "SNS topic that receives s3:ObjectCreated:* for every key under source_prefix (the sns-fanout trigger); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.notification_topic_arn == null || can(regex("^arn:[a-z-]+:sns:", coalesce(var.notification_topic_arn, "-")))
    error_message = "notification_topic_arn must be null or an SNS topic ARN."
  }
}

variable "eventbridge" {
  description = "Send every event of the source bucket to EventBridge (the eventbridge trigger); rules there pick the prefix and extensions."
  type        = bool
  default     = false
}

variable "notification_policy_ids" {
  description = "IDs of the policies that let S3 send to the destinations (queue or topic policies). The notification waits for them, because S3 sends a test message when it is saved."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the buckets, on top of the provider's default_tags."
  type        = map(string)
  default     = {}
}
