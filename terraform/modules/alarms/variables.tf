variable "name_prefix" {
  description = "Prefix of the alarm names (\"<prefix>-dlq-not-empty\", ...) and of the SNS topic."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,200}$", var.name_prefix))
    error_message = "name_prefix must be 1-200 letters, digits, hyphens or underscores."
  }
}

variable "queue_name" {
  description = "Name of the notification queue, watched for the age of its oldest message."
  type        = string
}

variable "dlq_name" {
  description = "Name of the dead-letter queue, which should stay empty."
  type        = string
}

variable "function_name" {
  description = "Name of the Lambda function, watched for errors and throttles."
  type        = string
}

variable "metrics_namespace" {
  description = "Namespace of the function's embedded-format metrics (its POWERTOOLS_METRICS_NAMESPACE)."
  type        = string
  default     = "ImagePattern"

  validation {
    condition     = length(var.metrics_namespace) > 0 && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be non-empty and must not start with \"AWS/\"."
  }
}

variable "service_name" {
  description = "Value of the \"service\" dimension of the function's metrics (its POWERTOOLS_SERVICE_NAME)."
  type        = string
  default     = "imagepattern"

  validation {
    condition     = length(var.service_name) > 0
    error_message = "service_name must not be empty."
  }
}

variable "oldest_message_age_threshold_seconds" {
  description = "Alarm when the oldest message in the notification queue has waited this long: the function is failing or not keeping up."
  type        = number
  default     = 600

  validation {
    condition     = var.oldest_message_age_threshold_seconds >= 60
    error_message = "oldest_message_age_threshold_seconds must be at least 60."
  }
}

variable "notification_latency_threshold_ms" {
  description = "Alarm when the p95 time from upload (S3 eventTime) to processing exceeds this, in milliseconds, for three 5-minute periods."
  type        = number
  default     = 30000

  validation {
    condition     = var.notification_latency_threshold_ms > 0
    error_message = "notification_latency_threshold_ms must be greater than 0."
  }
}

variable "function_errors_threshold" {
  description = "Alarm when the function's invocation errors in 5 minutes exceed this. Per-message failures reported in batchItemFailures are not invocation errors."
  type        = number
  default     = 0

  validation {
    condition     = var.function_errors_threshold >= 0
    error_message = "function_errors_threshold must not be negative."
  }
}

variable "function_throttles_threshold" {
  description = "Alarm when the function's throttled invocations in 5 minutes exceed this."
  type        = number
  default     = 0

  validation {
    condition     = var.function_throttles_threshold >= 0
    error_message = "function_throttles_threshold must not be negative."
  }
}

variable "create_topic" {
  description = "Create an SNS topic (encrypted with its own KMS key) for the alarms. Subscribe to it yourself, for example by e-mail."
  type        = bool
  default     = false
}

variable "topic_arn" {
  description = "Existing SNS topic for the alarms; null for none. Cannot be combined with create_topic."
  type        = string
  default     = null

  validation {
    condition     = var.topic_arn == null || (can(regex("^arn:[a-z-]+:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.topic_arn)) && !var.create_topic)
    error_message = "topic_arn must be an SNS topic ARN, and must be null when create_topic is true."
  }
}

variable "tags" {
  description = "Tags for the alarms, topic and key, on top of the provider's default_tags."
  type        = map(string)
  default     = {}
}
