output "source_bucket_name" {
  description = "Upload images here."
  value       = module.buckets.source_bucket_name
}

output "output_bucket_name" {
  description = "Thumbnails appear here."
  value       = module.buckets.output_bucket_name
}

output "function_name" {
  description = "Name of the thumbnailer function."
  value       = module.function.function_name
}
