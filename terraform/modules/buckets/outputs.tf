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

output "notification_suffixes" {
  description = "Key suffixes that send a notification, one S3 notification rule each."
  value       = sort(tolist(local.notification_suffixes))
}

output "notification_filters" {
  description = "The notification rules as S3 stores them: id, prefix, suffix and events of each."
  value = [for q in aws_s3_bucket_notification.source.queue : {
    id     = q.id
    prefix = q.filter_prefix
    suffix = q.filter_suffix
    events = q.events
  }]
}
