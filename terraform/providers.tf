provider "aws" {
  region = var.region

  # Every resource carries these; var.tags wins on a clash.
  default_tags {
    tags = merge(
      {
        Application = "ImagePattern"
        Stack       = var.name_prefix
        ManagedBy   = "Terraform"
      },
      var.tags,
    )
  }
}
