# Plan-only tests with a mocked provider: no AWS account or credentials needed.
#   terraform -chdir=terraform/modules/dashboard init -backend=false && terraform -chdir=terraform/modules/dashboard test

mock_provider "aws" {
  override_during = plan
}

override_data {
  target = data.aws_region.current
  values = { id = "eu-west-1" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws" }
}

variables {
  name = "imagepattern"
  consumers = {
    thumbnails = {
      function_name                = "imagepattern-thumbnailer"
      function_timeout_seconds     = 60
      queue_name                   = "imagepattern-notifications"
      dlq_name                     = "imagepattern-notifications-dlq"
      metrics_namespace            = "ImagePattern"
      service_name                 = "imagepattern"
      event_source_mapping_uuid    = "11111111-2222-3333-4444-555555555555"
      event_source_mapping_metrics = false
    }
    metadata = {
      function_name                = "imagepattern-metadata"
      function_timeout_seconds     = 30
      queue_name                   = "imagepattern-metadata"
      dlq_name                     = "imagepattern-metadata-dlq"
      metrics_namespace            = "ImagePattern"
      service_name                 = "imagepattern-metadata"
      event_source_mapping_uuid    = "66666666-7777-8888-9999-000000000000"
      event_source_mapping_metrics = true
    }
  }
}

run "every_consumer_gets_a_title_and_eight_graphs_and_a_mapping_graph_only_when_enabled" {
  command = plan

  assert {
    condition     = output.widget_count == 9 + 10
    error_message = "thumbnails (mapping metrics off) needs a title and 8 graphs, metadata (on) one graph more."
  }

  assert {
    condition = length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w
    if strcontains(try(w.properties.title, ""), "event source mapping")]) == 1
    error_message = "Only the consumer whose mapping publishes EventCount gets the mapping's graph."
  }
}

run "bands_follow_consumer_order_and_fill_whole_rows" {
  command = plan

  assert {
    # CloudWatch places widgets without x/y in order, wrapping at 24 units: a full-width title opens each band
    # (metadata sorts first, so its title is widget 0 and the thumbnails title widget 10).
    condition     = [for i, w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : i if w.type == "text"] == [0, 10]
    error_message = "Each consumer's band must open with its title, in consumer-name order."
  }

  assert {
    condition     = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.width] == [24, 6, 6, 6, 6, 6, 6, 6, 6, 12, 24, 6, 6, 6, 6, 6, 6, 6, 6]
    error_message = "Graphs must come four to a row (the mapping's one half a row) so each title starts a line of its own."
  }

  assert {
    condition     = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : !can(w.x) && !can(w.y)])
    error_message = "Widgets carry no x/y: CloudWatch lays them out in order."
  }

  assert {
    condition     = toset(output.metric_names.function) == toset(["Processed", "Duplicates", "PermanentFailures", "Retries", "Ignored", "Unreadable", "NotificationLatency", "ProcessingTime", "SourceBytes"])
    error_message = "The dashboard must draw every EMF metric of the function."
  }
}

run "duration_is_drawn_against_the_timeout_and_every_metric_names_its_resource" {
  command = plan

  assert {
    condition = toset([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.annotations.horizontal[0].value
    if can(w.properties.annotations)]) == toset([60000, 30000])
    error_message = "Each consumer's Duration graph must mark its own timeout in ms."
  }

  assert {
    condition = toset(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for m in w.properties.metrics : m[3]]
      if w.type == "metric"])) == toset([
      "imagepattern-thumbnailer", "imagepattern-notifications", "imagepattern-notifications-dlq", "imagepattern",
      "imagepattern-metadata", "imagepattern-metadata-dlq", "66666666-7777-8888-9999-000000000000",
    ])
    error_message = "Every metric must be dimensioned by one of the consumers' function, queue, DLQ, service or mapping."
  }

  assert {
    condition = toset(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for m in w.properties.metrics : m[4].stat]
    if w.type == "metric"])) == toset(["Maximum", "Sum", "p50", "p95"])
    error_message = "Graphs use Sum for counts and p50/p95/Maximum for distributions only."
  }
}

run "url_points_at_the_dashboard_in_the_stack_region" {
  command = plan

  assert {
    condition     = output.dashboard_url == "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/imagepattern"
    error_message = "The URL must open this dashboard in the stack's region."
  }
}

run "no_consumers_is_rejected" {
  command = plan

  variables {
    consumers = {}
  }

  expect_failures = [var.consumers]
}
