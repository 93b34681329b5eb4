# The settings the inner modules (tasks_table, queue, function, alarms) validate are passed on as they are, so a
# wrong value is reported once, by the module that owns it; only what this module adds is validated here.

variable "name" {
  description = "Name of the consumer's function, and by default of its queue (\"<name>\", DLQ \"<name>-dlq\"), table and alarms (\"<name>-<kind>\"). For a new consumer: \"<name_prefix>-<consumer>\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, hyphens or underscores (a Lambda function name)."
  }
}

variable "names" {
  description = "Names that differ from name: queue, table and alarm_prefix. The thumbnailer keeps the names it had before consumers were a module (a new name would replace the resource)."
  type = object({
    queue        = optional(string)
    table        = optional(string)
    alarm_prefix = optional(string)
  })
  default  = {}
  nullable = false
}

variable "handler" {
  description = "The bootstrap's handler (_HANDLER): thumbnails, metadata, or a consumer of your own once src/ImagePattern.Function/Consumers.cs lists it."
  type        = string
  default     = "thumbnails"
}

variable "function" {
  description = "Settings of the function and its event source mapping, the same for every consumer unless a caller merges in its own (memory_size, service_name, ...). maximum_concurrency may be null (provisioned mode: provisioned_pollers); event_source_mapping_metrics and tracing_mode are optional. timeout_seconds and batching_window_seconds also derive the queue's visibility timeout (6 x timeout + window)."
  type = object({
    package_path            = string
    architecture            = string
    memory_size             = number
    timeout_seconds         = number
    log_retention_in_days   = number
    log_level               = string
    service_name            = string
    metrics_namespace       = string
    image_engine            = string
    image_suffixes          = optional(list(string))
    max_source_bytes        = number
    max_source_pixels       = number
    max_interlaced_pixels   = number
    task_ttl_days           = number
    batch_size              = number
    batching_window_seconds = number
    maximum_concurrency     = number
    # Optional, so callers written before these options existed keep working; the function module validates them.
    provisioned_pollers = optional(object({
      minimum = optional(number, 2)
      maximum = optional(number, 200)
    }))
    event_source_mapping_metrics = optional(bool, false)
    tracing_mode                 = optional(string, "PassThrough")
  })
}

variable "thumbnails" {
  description = "What only the thumbnails handler takes: the output bucket (name, ARN) and prefix, the boxes, format and quality of the thumbnails. Required by that handler, null for every other."
  type = object({
    output_bucket_name = string
    output_bucket_arn  = string
    output_prefix      = optional(string, "")
    sizes              = list(string)
    format             = string
    quality            = number
  })
  default = null

  validation {
    condition     = (var.handler == "thumbnails") == (var.thumbnails != null)
    error_message = "thumbnails must be set for the thumbnails handler and null for any other (the function's role may write to the output bucket only for that handler)."
  }
}

variable "source_bucket" {
  description = "The upload bucket the function reads: name, arn and prefix (\"\" or ending in \"/\")."
  type = object({
    name   = string
    arn    = string
    prefix = string
  })
}

variable "sender" {
  description = "Who sends to the consumer's queue: the service principal (s3.amazonaws.com, sns.amazonaws.com or events.amazonaws.com), the ARN of the one bucket, topic or rule it sends for (aws:SourceArn), and the account (aws:SourceAccount)."
  type = object({
    service    = string
    arn        = string
    account_id = string
  })
}

variable "queue" {
  description = "Receives before a message moves to the dead-letter queue (max_receive_count) and how long the queue keeps a message (message_retention_seconds)."
  type = object({
    max_receive_count         = number
    message_retention_seconds = number
  })
}

variable "table_deletion_protection" {
  description = "Deletion protection of the consumer's task table."
  type        = bool
  default     = false
}

variable "alarms" {
  description = "Alarm thresholds (oldest_message_age_threshold_seconds, notification_latency_threshold_ms) and where the alarms notify: create_topic (an encrypted topic of this consumer's) or topic_arn (an existing one, such as another consumer's alarm_topic_arn), or neither."
  type = object({
    oldest_message_age_threshold_seconds = number
    notification_latency_threshold_ms    = number
    create_topic                         = optional(bool, false)
    topic_arn                            = optional(string)
  })
}

variable "tags" {
  description = "Tags for every resource of the consumer, on top of the provider's default_tags."
  type        = map(string)
  default     = {}
}
