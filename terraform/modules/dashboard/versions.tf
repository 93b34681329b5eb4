terraform {
  required_version = ">= 1.11.0"

  required_providers {
    # 5.100 is the oldest release the tests run against (real terraform validate/test, make validate);
    # nothing here needs 6.x. 7.0 stays out until it has been tested.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
