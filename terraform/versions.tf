terraform {
  # 1.11: mock values during plan in the *.tftest.hcl files (override_during).
  required_version = ">= 1.11.0"

  required_providers {
    # 6.27: the first release that accepts the dotnet10 Lambda runtime.
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.27"
    }
  }

  # State is local until you add a backend; see README.md, "Remote state".
}
