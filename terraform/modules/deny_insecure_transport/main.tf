# The one TLS-only statement every resource policy of the stack carries (buckets, queues, topics): deny every
# action of the service on the given resources to any principal when the request did not come over TLS.
# Built with jsonencode rather than a data source, so it needs no provider and its callers' tests see it whole.
locals {
  statement = {
    Sid       = "DenyInsecureTransport"
    Effect    = "Deny"
    Principal = "*"
    Action    = var.actions
    Resource  = var.resources
    Condition = {
      Bool = { "aws:SecureTransport" = "false" }
    }
  }
}
