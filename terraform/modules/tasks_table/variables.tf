variable "name" {
  description = "Name of the DynamoDB table of task records."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "The table name must be 3-255 letters, digits, underscores, hyphens or dots."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the table (terraform destroy then fails until it is turned off). The records are only a dedup ledger with a TTL, so the default is off."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the table, on top of the provider's default_tags."
  type        = map(string)
  default     = {}
}
