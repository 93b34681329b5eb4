# No provider at all: the module is pure expressions.
#   terraform -chdir=terraform/modules/deny_insecure_transport init -backend=false && terraform -chdir=terraform/modules/deny_insecure_transport test

variables {
  actions   = ["s3:*"]
  resources = ["arn:aws:s3:::thumbs-source", "arn:aws:s3:::thumbs-source/*"]
}

run "denies_every_action_without_tls_to_everyone" {
  command = plan

  assert {
    condition = jsondecode(output.json) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:*"]
        Resource  = ["arn:aws:s3:::thumbs-source", "arn:aws:s3:::thumbs-source/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }]
    }
    error_message = "The document must hold exactly one Deny of every action to every principal when aws:SecureTransport is false."
  }

  assert {
    condition     = jsonencode(output.statement) == jsonencode(jsondecode(output.json).Statement[0])
    error_message = "The statement output must be the document's statement."
  }
}

run "a_single_action_is_rejected" {
  command = plan

  variables {
    actions = ["s3:GetObject"]
  }

  expect_failures = [var.actions]
}

run "no_resource_is_rejected" {
  command = plan

  variables {
    resources = []
  }

  expect_failures = [var.resources]
}
