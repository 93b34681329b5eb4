terraform {
  required_version = ">= 1.11.0"

  required_providers {
    # 6.27: the first release that accepts the dotnet10 Lambda runtime.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.27"
    }
  }
}
