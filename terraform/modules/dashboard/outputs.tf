output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_arn" {
  description = "ARN of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_arn
}

output "dashboard_url" {
  description = "Console URL of the dashboard, in the stack's region."
  value       = "https://${local.region}.${local.console_host}/cloudwatch/home?region=${local.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.this.dashboard_name}"
}

output "metric_names" {
  description = "Names of the metrics the dashboard draws besides AWS/SQS and the function's AWS/Lambda ones: the function's EMF metrics and the event source mapping's EventCount metrics."
  value = {
    function             = flatten(values(local.function_metrics))
    event_source_mapping = local.mapping_metrics
  }
}

output "widget_count" {
  description = "Number of widgets on the dashboard (a title and eight graphs per consumer, plus one for a mapping that publishes its metrics)."
  value       = length(local.widgets)
}
