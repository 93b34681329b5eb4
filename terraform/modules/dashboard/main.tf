data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  region = data.aws_region.current.id

  # The function's EMF metrics (src/ImagePattern.Function/Observability/InvocationMetrics.cs, Names), by how they
  # are drawn. A C# test (tests/ImagePattern.Function.Tests/Observability/DashboardMetricsTests.cs) fails when a
  # name here is not one the code emits, or the code emits one that neither this list nor an alarm shows.
  function_metrics = {
    outcomes = ["Processed", "Duplicates", "PermanentFailures", "Retries", "Ignored", "Unreadable"]
    timings  = ["NotificationLatency", "ProcessingTime"]
    bytes    = ["SourceBytes"]
  }

  # The event source mapping's EventCount metrics (AWS/Lambda, dimension EventSourceMappingUUID), drawn only for a
  # consumer whose mapping publishes them (event_source_mapping_metrics).
  mapping_metrics = ["PolledEventCount", "InvokedEventCount", "FilteredOutEventCount", "FailedInvokeEventCount", "DeletedEventCount", "DroppedEventCount"]

  console_host = lookup({ aws-cn = "console.amazonaws.cn", aws-us-gov = "console.amazonaws-us-gov.com" }, data.aws_partition.current.partition, "console.aws.amazon.com")

  # No x or y: CloudWatch places the widgets in order, left to right, and wraps at its 24-unit width. Each
  # consumer's band starts with a full-width title, so it begins on a line of its own; its eight graphs fill two
  # rows of four, and the mapping's graph (when published) a third. values() orders the bands by consumer name.
  widgets = flatten(values(local.consumer_widgets))

  consumer_widgets = {
    for name, c in var.consumers : name => concat([
      {
        type       = "text"
        width      = 24
        height     = 1
        properties = { markdown = "### ${name}: function `${c.function_name}`, queue `${c.queue_name}`, dead-letter queue `${c.dlq_name}`" }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: messages in the queue and the DLQ"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", c.queue_name, { stat = "Maximum", label = "visible" }],
            ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", c.queue_name, { stat = "Maximum", label = "in flight" }],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", c.dlq_name, { stat = "Maximum", label = "in the DLQ" }],
          ]
          yAxis = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: age of the oldest message (s)"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [
            ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", c.queue_name, { stat = "Maximum", label = "oldest message" }],
          ]
          yAxis = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: outcomes per period"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [for m in local.function_metrics.outcomes : [c.metrics_namespace, m, "service", c.service_name, { stat = "Sum", label = m }]]
          yAxis   = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: NotificationLatency, upload to claim (ms)"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [for s in ["p50", "p95", "Maximum"] : [c.metrics_namespace, "NotificationLatency", "service", c.service_name, { stat = s, label = s == "Maximum" ? "max" : s }]]
          yAxis   = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: ProcessingTime, claim to complete (ms)"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [for s in ["p50", "p95", "Maximum"] : [c.metrics_namespace, "ProcessingTime", "service", c.service_name, { stat = s, label = s == "Maximum" ? "max" : s }]]
          yAxis   = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: Lambda Duration against the ${c.function_timeout_seconds} s timeout (ms)"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [for s in ["p95", "Maximum"] : ["AWS/Lambda", "Duration", "FunctionName", c.function_name, { stat = s, label = s == "Maximum" ? "max" : s }]]
          annotations = {
            horizontal = [{ label = "timeout", value = c.function_timeout_seconds * 1000, color = "#d62728" }]
          }
          yAxis = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: Errors, Throttles, ConcurrentExecutions"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [
            ["AWS/Lambda", "Errors", "FunctionName", c.function_name, { stat = "Sum", label = "errors" }],
            ["AWS/Lambda", "Throttles", "FunctionName", c.function_name, { stat = "Sum", label = "throttles" }],
            ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", c.function_name, { stat = "Maximum", label = "concurrent executions (max)" }],
          ]
          yAxis = { left = { min = 0 } }
        }
      },
      {
        type   = "metric"
        width  = 6
        height = var.widget_height
        properties = {
          title   = "${name}: SourceBytes read (bytes)"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [for s in ["Sum", "p95"] : [c.metrics_namespace, "SourceBytes", "service", c.service_name, { stat = s, label = s == "Sum" ? "total" : "p95 per object" }]]
          yAxis   = { left = { min = 0 } }
        }
      },
      ], c.event_source_mapping_metrics ? [
      {
        type   = "metric"
        width  = 12
        height = var.widget_height
        properties = {
          title   = "${name}: event source mapping (EventCount)"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = var.period_seconds
          metrics = [for m in local.mapping_metrics : ["AWS/Lambda", m, "EventSourceMappingUUID", c.event_source_mapping_uuid, { stat = "Sum", label = m }]]
          yAxis   = { left = { min = 0 } }
        }
      },
    ] : [])
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}
