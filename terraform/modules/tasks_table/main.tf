locals {
  # Contract with the function's task ledger (and the local stack, which creates the same table).
  partition_key = "pk"
  ttl_attribute = "expires_at"
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = local.partition_key
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = local.partition_key
    type = "S"
  }

  # Epoch seconds; DynamoDB deletes expired task records within a few days, at no cost.
  ttl {
    attribute_name = local.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  # The AWS managed key: encrypted at rest, and the function's role needs no KMS permissions.
  server_side_encryption {
    enabled = true
  }

  tags = var.tags
}
