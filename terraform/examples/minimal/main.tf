# The smallest working composition of the modules: uploads, queue, table, function, every
# optional input left at its default and no alarms. Build the package first: make package.

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  name = "thumbs-minimal"
}

module "tasks_table" {
  source = "../../modules/tasks_table"

  name = "${local.name}-tasks"
}

module "queue" {
  source = "../../modules/queue"

  name                     = "${local.name}-notifications"
  function_timeout_seconds = 60
  sender_arn               = module.buckets.source_bucket_arn
  source_account_id        = data.aws_caller_identity.current.account_id
}

module "buckets" {
  source = "../../modules/buckets"

  source_bucket_name      = "${local.name}-source-${data.aws_caller_identity.current.account_id}"
  output_bucket_name      = "${local.name}-output-${data.aws_caller_identity.current.account_id}"
  notification_queue_arns = { thumbnails = module.queue.arn }
  notification_policy_ids = [module.queue.policy_id]
}

module "function" {
  source = "../../modules/function"

  name               = local.name
  package_path       = "${path.module}/../../../artifacts/function-x86_64.zip"
  timeout_seconds    = 60
  source_bucket_name = module.buckets.source_bucket_name
  source_bucket_arn  = module.buckets.source_bucket_arn
  output_bucket_name = module.buckets.output_bucket_name
  output_bucket_arn  = module.buckets.output_bucket_arn
  tasks_table_name   = module.tasks_table.name
  tasks_table_arn    = module.tasks_table.arn
  queue_arn          = module.queue.arn
  # Derived by the queue module from the same 60 s timeout; the function module checks the pairing.
  queue_visibility_timeout_seconds = module.queue.visibility_timeout_seconds
}
