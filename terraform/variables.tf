# Variables passed straight into a module are validated there, in one place (the plan names the module's
# variable when a value is wrong); only what the root itself uses (region, name_prefix) is validated here.

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
# Triggers and consumers
# ---------------------------------------------------------------------------------------------

variable "trigger" {
  description = "How uploads reach the consumers: s3-notification (S3 -> the thumbnail queue), sns-fanout (S3 -> an encrypted SNS topic -> one queue per consumer) or eventbridge (S3 -> EventBridge -> one rule and queue per consumer)."
  type        = string
  default     = "s3-notification"

  validation {
    condition     = contains(["s3-notification", "sns-fanout", "eventbridge"], var.trigger)
    error_message = "trigger must be s3-notification, sns-fanout or eventbridge."
  }
}

variable "consumers" {
  description = "The consumers of every upload besides the thumbnailer, by handler name: the key is the _HANDLER the one package's bootstrap selects (src/ImagePattern.Function/Consumers.cs lists them) and names the consumer's function, queue (DLQ \"<name>-dlq\"), table, alarms and log group \"<name_prefix>-<key>\". Each runs only with trigger = \"sns-fanout\" or \"eventbridge\" (S3 cannot send one upload to two queues); with s3-notification the thumbnailer runs alone. memory_size: MB, null for function_memory_size. {} runs the thumbnailer alone in every mode."
  type = map(object({
    memory_size = optional(number)
  }))
  # The metadata consumer needs less than the thumbnailer: its rule (modules/function) asks 600 MB at the default
  # limits, which it spends on a 30 MP interlaced PNG held whole.
  default = {
    metadata = { memory_size = 640 }
  }
  nullable = false

  validation {
    condition     = alltrue([for name in keys(var.consumers) : can(regex("^[a-z][a-z0-9-]{0,19}$", name)) && name != "thumbnails"])
    error_message = "Each consumers key is a handler name: 1-20 of a-z, 0-9 and '-', starting with a letter, and not \"thumbnails\" (the thumbnailer is always there)."
  }

  validation {
    condition     = alltrue([for c in values(var.consumers) : c.memory_size == null || try(c.memory_size >= 128 && c.memory_size <= 10240, false)])
    error_message = "A consumer's memory_size is 128 to 10240 MB, or null for function_memory_size."
  }
}

# ---------------------------------------------------------------------------------------------
# Buckets and notifications
# ---------------------------------------------------------------------------------------------

variable "source_bucket_name" {
  description = "Name of the upload bucket; null derives \"<name_prefix>-source-<account>-<region>\"."
  type        = string
  default     = null
}

variable "output_bucket_name" {
  description = "Name of the thumbnail bucket; null derives \"<name_prefix>-output-<account>-<region>\". Never the source bucket."
  type        = string
  default     = null
}

variable "source_prefix" {
  description = "Only uploads under this key prefix are processed (\"\" = the whole bucket), for example \"uploads/\"."
  type        = string
  default     = ""
}

variable "source_bucket_versioning" {
  description = "Turn on versioning of the source bucket; replaced or deleted versions then expire after noncurrent_version_expiration_days. The function reads the exact version each event names. null: the buckets module's default."
  type        = bool
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted version of an upload is kept, when source_bucket_versioning is on. null: the buckets module's default."
  type        = number
  default     = null
}

variable "source_expiration_days" {
  description = "Days after which uploads under source_prefix are deleted; null keeps them."
  type        = number
  default     = null
}

variable "output_expiration_days" {
  description = "Days after which thumbnails under output_prefix are deleted; null keeps them."
  type        = number
  default     = null
}

variable "output_prefix" {
  description = "Key prefix of the thumbnails in the output bucket: \"\" or ending in \"/\"."
  type        = string
  default     = ""
}

variable "force_destroy_buckets" {
  description = "Let terraform destroy (make destroy) delete non-empty buckets. Handy for development stacks; keep it off where images matter. null: the buckets module's default."
  type        = bool
  default     = null
}

# ---------------------------------------------------------------------------------------------
# Queue
# ---------------------------------------------------------------------------------------------

variable "max_receive_count" {
  description = "Receives after which a message moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "queue_message_retention_seconds" {
  description = "How long the notification queue keeps an unprocessed message (the dead-letter queue keeps 14 days)."
  type        = number
  default     = 345600
}

# ---------------------------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------------------------

variable "architecture" {
  description = "Instruction set of the function: x86_64 or arm64. `make package` builds the matching zip; make plan/deploy pass the same value."
  type        = string
  default     = "x86_64"
}

variable "package_path" {
  description = "Deployment zip; null uses artifacts/function-<architecture>.zip at the repository root, where `make package` writes it."
  type        = string
  default     = null
}

variable "function_memory_size" {
  description = "Memory of the function in MB; 1769 MB is one full vCPU."
  type        = number
  default     = 1769
}

variable "function_timeout_seconds" {
  description = "Function timeout. The queue's visibility timeout is derived from it: 6 x timeout + batching window."
  type        = number
  default     = 60
}

variable "batch_size" {
  description = "Most messages per invocation."
  type        = number
  default     = 10
}

variable "batching_window_seconds" {
  description = "Longest the event source waits to fill a batch. 0 favours latency; a few seconds favour fewer, fuller invocations."
  type        = number
  default     = 0
}

variable "maximum_concurrency" {
  description = "Most concurrent invocations the queue may drive (on-demand mode). Set null with provisioned_pollers: AWS takes one or the other."
  type        = number
  default     = 10
}

variable "provisioned_pollers" {
  description = "Provisioned mode of every consumer's event source mapping: { minimum = 2-200, maximum = 2-2000 } event pollers, billed while provisioned; null (default) is on-demand mode. Needs maximum_concurrency = null."
  type = object({
    minimum = optional(number, 2)
    maximum = optional(number, 200)
  })
  default = null
}

variable "event_source_mapping_metrics" {
  description = "Turn on the mappings' EventCount metrics (PolledEventCount, InvokedEventCount, ...) and their dashboard graphs; charged as CloudWatch metrics, so off by default."
  type        = bool
  default     = false
}

variable "tracing_mode" {
  description = "X-Ray tracing of the functions: PassThrough (default) or Active (the roles get xray:PutTraceSegments and xray:PutTelemetryRecords)."
  type        = string
  default     = "PassThrough"
}

variable "log_retention_in_days" {
  description = "Days CloudWatch keeps the function's logs."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "Lowest level the function logs: DEBUG, INFO, WARN, ERROR or CRITICAL."
  type        = string
  default     = "INFO"
}

variable "service_name" {
  description = "Service name in the function's logs and the \"service\" dimension of its metrics."
  type        = string
  default     = "imagepattern"
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the function's metrics."
  type        = string
  default     = "ImagePattern"
}

# ---------------------------------------------------------------------------------------------
# Thumbnails
# ---------------------------------------------------------------------------------------------

variable "thumbnail_sizes" {
  description = "Boxes each image is fitted into (WIDTHxHEIGHT), one thumbnail per box."
  type        = list(string)
  default     = ["128x128", "512x512"]
}

variable "image_engine" {
  description = "Image engine: skia (SkiaSharp, default) or libvips (NetVips; also reads TIFF, AVIF, AV1-coded HEIF and writes AVIF; not HEVC, as in a phone's .heic)."
  type        = string
  default     = "skia"
}

variable "image_suffixes" {
  description = "Lowercase extensions the function processes, matched in any case (IMAGE_SUFFIXES); other uploads are acknowledged as Ignored. null follows image_engine: skia .jpg .jpeg .png .webp .gif; libvips adds .tif .tiff .avif .heif (AV1-coded HEIF only; .heic, HEVC, is not decoded)."
  type        = list(string)
  default     = null
}

variable "output_format" {
  description = "Thumbnail format: webp, jpeg, png, avif (libvips only), or source (keep the upload's format)."
  type        = string
  default     = "webp"
}

variable "output_quality" {
  description = "Encoder quality, 1-100."
  type        = number
  default     = 80
}

variable "max_source_bytes" {
  description = "Largest upload processed, in bytes; larger ones are recorded as failed."
  type        = number
  default     = 52428800
}

variable "max_source_pixels" {
  description = "Largest width x height decoded."
  type        = number
  default     = 100000000
}

variable "max_interlaced_pixels" {
  description = "Largest width x height for interlaced/progressive images, which are decoded whole."
  type        = number
  default     = 30000000
}

# ---------------------------------------------------------------------------------------------
# Task table
# ---------------------------------------------------------------------------------------------

variable "task_ttl_days" {
  description = "Days a task record is kept; a repeated notification within that time is a duplicate."
  type        = number
  default     = 30
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
}

variable "oldest_message_age_alarm_seconds" {
  description = "Alarm when the oldest queued notification has waited this many seconds."
  type        = number
  default     = 600
}

variable "notification_latency_alarm_ms" {
  description = "Alarm when p95 upload-to-processing latency exceeds this many milliseconds for 15 minutes."
  type        = number
  default     = 30000
}
