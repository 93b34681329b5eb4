# Development stack: `make plan` / `make deploy` / `make destroy` use this file (ENV=dev is the default).
# Copy it to <env>.tfvars for another environment and run with ENV=<env>; each ENV gets its own
# Terraform workspace, so their states never mix. Every variable is listed in terraform/README.md.

region      = "eu-west-1"
name_prefix = "imagepattern-dev"

# x86_64 or arm64. The Makefile reads this line to build the matching package
# (artifacts/function-<architecture>.zip) and passes the same value to Terraform.
architecture = "x86_64"

# A development stack should tear down cleanly, images included.
force_destroy_buckets = true

log_level = "DEBUG"

tags = {
  Environment = "dev"
}

# How uploads reach the consumers: s3-notification (the default), sns-fanout or eventbridge; the two
# fan-out modes add the image-metadata consumer. The engine: skia (the default) or libvips.
# trigger      = "sns-fanout"
# image_engine = "libvips"   # adds TIFF, AVIF and AV1-coded HEIF; not a phone's HEVC .heic
