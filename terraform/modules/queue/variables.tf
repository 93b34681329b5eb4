variable "name" {
  description = "Name of the notification queue; the dead-letter queue is named \"<name>-dlq\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,76}$", var.name))
    error_message = "The queue name must be 1-76 characters of letters, digits, hyphens and underscores (76 leaves room for the \"-dlq\" suffix)."
  }
}

variable "function_timeout_seconds" {
  description = "Timeout of the consuming Lambda function. The visibility timeout is derived from it (6 x timeout + batching window), never set on its own."
  type        = number

  validation {
    condition     = var.function_timeout_seconds >= 1 && var.function_timeout_seconds <= 900 && floor(var.function_timeout_seconds) == var.function_timeout_seconds
    error_message = "The function timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "batching_window_seconds" {
  description = "Maximum batching window of the event source mapping; part of the derived visibility timeout."
  type        = number
  default     = 0

  validation {
    condition     = var.batching_window_seconds >= 0 && var.batching_window_seconds <= 300 && floor(var.batching_window_seconds) == var.batching_window_seconds
    error_message = "The batching window must be a whole number of seconds from 0 to 300."
  }
}

variable "max_receive_count" {
  description = "Receives after which SQS moves a message to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000."
  }
}

variable "message_retention_seconds" {
  description = "How long the notification queue keeps a message. The dead-letter queue always keeps messages for the maximum, 14 days."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600 && floor(var.message_retention_seconds) == var.message_retention_seconds
    error_message = "The retention must be a whole number of seconds from 60 to 1209600 (14 days)."
  }
}

variable "sender_service" {
  description = "The one service principal allowed to send to the queue: s3.amazonaws.com (s3-notification trigger), sns.amazonaws.com (sns-fanout) or events.amazonaws.com (eventbridge)."
  type        = string
  default     = "s3.amazonaws.com"

  validation {
    condition     = contains(["s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com"], var.sender_service)
    error_message = "sender_service must be s3.amazonaws.com, sns.amazonaws.com or events.amazonaws.com."
  }
}

variable "sender_arn" {
  description = "ARN of the one resource allowed to send (aws:SourceArn): the source bucket, the fan-out topic or the EventBridge rule, matching sender_service."
  type        = string

  validation {
    condition = can(regex(lookup({
      "s3.amazonaws.com"     = "^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
      "sns.amazonaws.com"    = "^arn:[a-z-]+:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$"
      "events.amazonaws.com" = "^arn:[a-z-]+:events:[a-z0-9-]+:[0-9]{12}:rule/.+$"
    }, var.sender_service, "^$"), var.sender_arn))
    error_message = "sender_arn must be the ARN of what sender_service names: an S3 bucket, an SNS topic or an EventBridge rule."
  }
}

variable "source_account_id" {
  description = "Account that owns the source bucket (aws:SourceAccount, checked when S3 sends directly)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.source_account_id))
    error_message = "source_account_id must be a 12-digit AWS account ID."
  }
}

variable "tags" {
  description = "Tags for the queues, on top of the provider's default_tags."
  type        = map(string)
  default     = {}
}
