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
  description = "Only keys under this prefix notify the queue (\"\" = the whole bucket), for example \"uploads/\"."
  type        = string
  default     = ""

  validation {
    condition     = !startswith(var.source_prefix, "/") && length(var.source_prefix) <= 512
    error_message = "source_prefix must not start with \"/\" (S3 keys have no leading slash) and must be at most 512 characters."
  }
}

variable "image_suffixes" {
  description = "Lowercase key suffixes that notify the queue, one notification rule each. Each is a dot and 1-10 letters or digits, so no suffix can end with a different one: distinct entries never overlap, which S3 requires of filters for the same event."
  type        = list(string)
  default     = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"]

  validation {
    condition     = length(var.image_suffixes) > 0 && alltrue([for s in var.image_suffixes : can(regex("^\\.[a-z0-9]{1,10}$", s))])
    error_message = "image_suffixes must list at least one lowercase extension with its dot, such as \".jpg\"."
  }

  validation {
    condition     = length(distinct(var.image_suffixes)) == length(var.image_suffixes)
    error_message = "image_suffixes lists an extension twice; S3 refuses two notification rules with the same filter."
  }
}

variable "include_uppercase_suffixes" {
  description = "Also notify for the uppercase form of each suffix (\".JPG\"): S3 suffix filters are case-sensitive and cameras often write uppercase."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let terraform destroy delete the buckets with their objects. Keep false where the images matter."
  type        = bool
  default     = false
}

variable "queue_arn" {
  description = "ARN of the SQS queue that receives s3:ObjectCreated:* notifications."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:sqs:", var.queue_arn))
    error_message = "queue_arn must be an SQS queue ARN (arn:<partition>:sqs:...)."
  }
}

variable "queue_policy_id" {
  description = "ID of the queue policy that lets the source bucket send (the queue module's policy_id). The notification waits for it, because S3 sends a test message when the notification is saved."
  type        = string
}

variable "tags" {
  description = "Tags for the buckets, on top of the provider's default_tags."
  type        = map(string)
  default     = {}
}
