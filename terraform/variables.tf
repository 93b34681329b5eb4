# ---------------------------------------------------------------------------------------------
# Naming and placement
# ---------------------------------------------------------------------------------------------

variable "region" {
  description = "AWS region to deploy to; null takes the region from the environment (AWS_REGION or the profile)."
  type        = string
  default     = null

  validation {
    condition     = var.region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be null or a region code such as eu-west-1."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name. Use one per environment and account, for example \"imagepattern-dev\"."
  type        = string
  default     = "imagepattern"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name_prefix)) && !strcontains(var.name_prefix, "--")
    error_message = "name_prefix must be 3-24 lowercase letters, digits and single hyphens, starting with a letter (it becomes part of S3 bucket names)."
  }
}

variable "tags" {
  description = "Tags added to every resource through the provider's default_tags."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------------------------
# Buckets and notifications
# ---------------------------------------------------------------------------------------------

variable "source_bucket_name" {
  description = "Name of the upload bucket; null derives \"<name_prefix>-source-<account>-<region>\"."
  type        = string
  default     = null

  validation {
    condition     = var.source_bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.source_bucket_name))
    error_message = "source_bucket_name must be null or a valid S3 bucket name (3-63 lowercase letters, digits, hyphens)."
  }
}

variable "output_bucket_name" {
  description = "Name of the thumbnail bucket; null derives \"<name_prefix>-output-<account>-<region>\". Never the source bucket."
  type        = string
  default     = null

  validation {
    condition     = var.output_bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.output_bucket_name))
    error_message = "output_bucket_name must be null or a valid S3 bucket name (3-63 lowercase letters, digits, hyphens)."
  }

  validation {
    condition     = var.output_bucket_name == null || var.output_bucket_name != var.source_bucket_name
    error_message = "output_bucket_name must differ from source_bucket_name: thumbnails written to the source bucket would be processed again."
  }
}

variable "source_prefix" {
  description = "Only uploads under this key prefix are processed (\"\" = the whole bucket), for example \"uploads/\"."
  type        = string
  default     = ""

  validation {
    condition     = !startswith(var.source_prefix, "/") && !strcontains(var.source_prefix, "*")
    error_message = "source_prefix must not start with \"/\" or contain \"*\"."
  }
}

variable "image_suffixes" {
  description = "Lowercase extensions that trigger processing, one S3 notification rule each (HEIC is absent: the bundled libvips has no HEVC decoder)."
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
  description = "Also trigger on the uppercase form of each extension (\".JPG\"); S3 suffix filters are case-sensitive."
  type        = bool
  default     = true
}

variable "output_prefix" {
  description = "Key prefix of the thumbnails in the output bucket: \"\" or ending in \"/\"."
  type        = string
  default     = ""

  validation {
    condition     = var.output_prefix == "" || (endswith(var.output_prefix, "/") && !startswith(var.output_prefix, "/") && !strcontains(var.output_prefix, "*"))
    error_message = "output_prefix must be \"\" or end with \"/\", without a leading \"/\" or any \"*\"."
  }
}

variable "force_destroy_buckets" {
  description = "Let terraform destroy (make destroy) delete non-empty buckets. Handy for development stacks; keep false where images matter."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------
# Queue
# ---------------------------------------------------------------------------------------------

variable "max_receive_count" {
  description = "Receives after which a message moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000."
  }
}

variable "queue_message_retention_seconds" {
  description = "How long the notification queue keeps an unprocessed message (the dead-letter queue keeps 14 days)."
  type        = number
  default     = 345600

  validation {
    condition     = var.queue_message_retention_seconds >= 60 && var.queue_message_retention_seconds <= 1209600
    error_message = "queue_message_retention_seconds must be from 60 to 1209600 (14 days)."
  }
}

# ---------------------------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------------------------

variable "architecture" {
  description = "Instruction set of the function: x86_64 or arm64. `make package` builds the matching zip; make plan/deploy pass the same value."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be \"x86_64\" or \"arm64\"."
  }
}

variable "package_path" {
  description = "Deployment zip; null uses artifacts/function-<architecture>.zip at the repository root, where `make package` writes it."
  type        = string
  default     = null

  validation {
    condition     = var.package_path == null || endswith(coalesce(var.package_path, "-"), ".zip")
    error_message = "package_path must be null or name a .zip file."
  }
}

variable "function_memory_size" {
  description = "Memory of the function in MB; 1769 MB is one full vCPU."
  type        = number
  default     = 1769

  validation {
    condition     = var.function_memory_size >= 128 && var.function_memory_size <= 10240 && floor(var.function_memory_size) == var.function_memory_size
    error_message = "function_memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "function_timeout_seconds" {
  description = "Function timeout. The queue's visibility timeout is derived from it: 6 x timeout + batching window."
  type        = number
  default     = 60

  validation {
    condition     = var.function_timeout_seconds >= 3 && var.function_timeout_seconds <= 900 && floor(var.function_timeout_seconds) == var.function_timeout_seconds
    error_message = "function_timeout_seconds must be a whole number from 3 to 900."
  }
}

variable "batch_size" {
  description = "Most messages per invocation."
  type        = number
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size must be a whole number from 1 to 10000."
  }

  validation {
    condition     = var.batch_size <= 10 || var.batching_window_seconds >= 1
    error_message = "A batch_size above 10 needs batching_window_seconds of at least 1."
  }
}

variable "batching_window_seconds" {
  description = "Longest the event source waits to fill a batch. 0 favours latency; a few seconds favour fewer, fuller invocations."
  type        = number
  default     = 0

  validation {
    condition     = var.batching_window_seconds >= 0 && var.batching_window_seconds <= 300 && floor(var.batching_window_seconds) == var.batching_window_seconds
    error_message = "batching_window_seconds must be a whole number from 0 to 300."
  }
}

variable "maximum_concurrency" {
  description = "Most concurrent invocations the queue may drive."
  type        = number
  default     = 10

  validation {
    condition     = var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000 && floor(var.maximum_concurrency) == var.maximum_concurrency
    error_message = "maximum_concurrency must be a whole number from 2 to 1000."
  }
}

variable "log_retention_in_days" {
  description = "Days CloudWatch keeps the function's logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs offers, such as 7, 14, 30, 90 or 365."
  }
}

variable "log_level" {
  description = "Lowest level the function logs: DEBUG, INFO, WARN, ERROR or CRITICAL."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN, ERROR or CRITICAL."
  }
}

variable "service_name" {
  description = "Service name in the function's logs and the \"service\" dimension of its metrics."
  type        = string
  default     = "imagepattern"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.service_name))
    error_message = "service_name must be 1-64 letters, digits, dots, hyphens or underscores."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the function's metrics."
  type        = string
  default     = "ImagePattern"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 letters, digits or . _ / # : - and must not start with \"AWS/\"."
  }
}

# ---------------------------------------------------------------------------------------------
# Thumbnails
# ---------------------------------------------------------------------------------------------

variable "thumbnail_sizes" {
  description = "Boxes each image is fitted into (WIDTHxHEIGHT), one thumbnail per box."
  type        = list(string)
  default     = ["128x128", "512x512"]

  validation {
    condition = length(var.thumbnail_sizes) > 0 && alltrue([
      for s in var.thumbnail_sizes : can(regex("^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}$", s)) && alltrue([for d in split("x", s) : tonumber(d) <= 10000])
    ]) && length(distinct(var.thumbnail_sizes)) == length(var.thumbnail_sizes)
    error_message = "thumbnail_sizes must list distinct WIDTHxHEIGHT boxes with each side from 1 to 10000, such as \"128x128\"."
  }
}

variable "output_format" {
  description = "Thumbnail format: webp, jpeg, png, avif, or source (keep the upload's format)."
  type        = string
  default     = "webp"

  validation {
    condition     = contains(["webp", "jpeg", "png", "avif", "source"], var.output_format)
    error_message = "output_format must be webp, jpeg, png, avif or source."
  }
}

variable "output_quality" {
  description = "Encoder quality, 1-100."
  type        = number
  default     = 80

  validation {
    condition     = var.output_quality >= 1 && var.output_quality <= 100 && floor(var.output_quality) == var.output_quality
    error_message = "output_quality must be a whole number from 1 to 100."
  }
}

variable "max_source_bytes" {
  description = "Largest upload processed, in bytes; larger ones are recorded as failed."
  type        = number
  default     = 52428800

  validation {
    condition     = var.max_source_bytes >= 1 && var.max_source_bytes <= 2000000000 && floor(var.max_source_bytes) == var.max_source_bytes
    error_message = "max_source_bytes must be a whole number from 1 to 2000000000."
  }
}

variable "max_source_pixels" {
  description = "Largest width x height decoded."
  type        = number
  default     = 100000000

  validation {
    condition     = var.max_source_pixels >= 1 && var.max_source_pixels <= 1000000000 && floor(var.max_source_pixels) == var.max_source_pixels
    error_message = "max_source_pixels must be a whole number from 1 to 1000000000."
  }
}

variable "max_interlaced_pixels" {
  description = "Largest width x height for interlaced/progressive images, which are decoded whole."
  type        = number
  default     = 30000000

  validation {
    condition     = var.max_interlaced_pixels >= 1 && var.max_interlaced_pixels <= var.max_source_pixels && floor(var.max_interlaced_pixels) == var.max_interlaced_pixels
    error_message = "max_interlaced_pixels must be a whole number from 1 up to max_source_pixels."
  }
}

# ---------------------------------------------------------------------------------------------
# Task table
# ---------------------------------------------------------------------------------------------

variable "task_ttl_days" {
  description = "Days a task record is kept; a repeated notification within that time is a duplicate."
  type        = number
  default     = 30

  validation {
    condition     = var.task_ttl_days >= 1 && var.task_ttl_days <= 3650 && floor(var.task_ttl_days) == var.task_ttl_days
    error_message = "task_ttl_days must be a whole number from 1 to 3650."
  }
}

variable "tasks_table_deletion_protection" {
  description = "Protect the task table from deletion (make destroy then fails until it is turned off)."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------------------------

variable "create_alarm_topic" {
  description = "Create an encrypted SNS topic that the alarms notify."
  type        = bool
  default     = false
}

variable "alarm_topic_arn" {
  description = "Existing SNS topic for the alarms (instead of create_alarm_topic); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_topic_arn == null || (can(regex("^arn:[a-z-]+:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_topic_arn)) && !var.create_alarm_topic)
    error_message = "alarm_topic_arn must be an SNS topic ARN, and must be null when create_alarm_topic is true."
  }
}

variable "oldest_message_age_alarm_seconds" {
  description = "Alarm when the oldest queued notification has waited this many seconds."
  type        = number
  default     = 600

  validation {
    condition     = var.oldest_message_age_alarm_seconds >= 60
    error_message = "oldest_message_age_alarm_seconds must be at least 60."
  }
}

variable "notification_latency_alarm_ms" {
  description = "Alarm when p95 upload-to-processing latency exceeds this many milliseconds for 15 minutes."
  type        = number
  default     = 30000

  validation {
    condition     = var.notification_latency_alarm_ms > 0
    error_message = "notification_latency_alarm_ms must be greater than 0."
  }
}
