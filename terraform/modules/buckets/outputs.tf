output "source_bucket_name" {
  description = "Name of the source bucket (uploads)."
  value       = aws_s3_bucket.this["source"].bucket
}

output "source_bucket_arn" {
  description = "ARN of the source bucket."
  value       = aws_s3_bucket.this["source"].arn
}

output "output_bucket_name" {
  description = "Name of the output bucket (thumbnails)."
  value       = aws_s3_bucket.this["output"].bucket
}

output "output_bucket_arn" {
  description = "ARN of the output bucket."
  value       = aws_s3_bucket.this["output"].arn
}

output "notification_filters" {
  description = "The notification rules as S3 stores them: id, prefix and events of each (prefix-only: the function filters extensions)."
  value = concat(
    [for q in aws_s3_bucket_notification.source.queue : { id = q.id, prefix = q.filter_prefix, events = q.events }],
    [for t in aws_s3_bucket_notification.source.topic : { id = t.id, prefix = t.filter_prefix, events = t.events }],
  )
}

output "source_versioning" {
  description = "Whether versioning is on for the source bucket."
  value       = length(aws_s3_bucket_versioning.source) == 1
}

output "eventbridge" {
  description = "Whether the source bucket sends its events to EventBridge."
  value       = aws_s3_bucket_notification.source.eventbridge
}
