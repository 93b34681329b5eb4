variable "name" {
  description = "Name of the CloudWatch dashboard (one per stack)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.name))
    error_message = "name must be 1-255 letters, digits, hyphens or underscores (CloudWatch's dashboard name rule)."
  }
}

variable "consumers" {
  description = "One band of graphs per consumer, by consumer name: its function (name, timeout in seconds), queue and DLQ names, the namespace and service dimension of its EMF metrics, its event source mapping UUID and whether that mapping publishes EventCount metrics. modules/consumer's dashboard output has this shape."
  type = map(object({
    function_name                = string
    function_timeout_seconds     = number
    queue_name                   = string
    dlq_name                     = string
    metrics_namespace            = string
    service_name                 = string
    event_source_mapping_uuid    = string
    event_source_mapping_metrics = bool
  }))

  validation {
    condition     = length(var.consumers) >= 1
    error_message = "consumers must name at least one consumer."
  }
}

variable "period_seconds" {
  description = "Period of every graph, in seconds."
  type        = number
  default     = 60

  validation {
    condition     = contains([60, 300, 900, 3600], var.period_seconds)
    error_message = "period_seconds must be 60, 300, 900 or 3600."
  }
}

variable "widget_height" {
  description = "Height of each graph in dashboard grid units (a row of the grid is 24 units wide)."
  type        = number
  default     = 6

  validation {
    condition     = var.widget_height >= 3 && var.widget_height <= 12 && floor(var.widget_height) == var.widget_height
    error_message = "widget_height must be a whole number from 3 to 12."
  }
}
