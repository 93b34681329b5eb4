variable "name" {
  description = "Name of the Lambda function; also names its role and log group."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "The function name must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "handler" {
  description = "Which consumer of the package this function runs (_HANDLER, a handler name of src/ImagePattern.Function/Consumers.cs): thumbnails (the thumbnailer), metadata (the image-metadata consumer) or one of your own; every handler but thumbnails gets no output bucket."
  type        = string
  default     = "thumbnails"

  validation {
    # Handler names are also resource names (the root names each consumer "<name_prefix>-<handler>"). "bootstrap",
    # the bootstrap's alias of thumbnails, is refused: the thumbnailer is named by its own name.
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.handler)) && var.handler != "bootstrap"
    error_message = "handler must be a handler name of the package: 1-20 of a-z, 0-9 and '-', starting with a letter (thumbnails, metadata, or yours), not the alias \"bootstrap\"."
  }
}

variable "package_path" {
  description = "Path of the deployment zip written by `make package` (artifacts/function-<architecture>.zip). Its SHA-256 is the function's source_code_hash."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must name a .zip file, such as artifacts/function-x86_64.zip."
  }
}

variable "architecture" {
  description = "Instruction set of the function: x86_64 or arm64. It must match the bootstrap and native libraries inside the package (make package ARCH=...)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be \"x86_64\" or \"arm64\"."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB. CPU grows with it; 1769 MB buys one full vCPU (one image slot). Must hold its image slots at the decode budget: 128 + slots x (2 x max_source_bytes + decode bytes) / MiB, decode bytes 6 x max_source_pixels (skia), 8 x max_interlaced_pixels (libvips), 13 x max_interlaced_pixels (metadata); 801 MB at the skia defaults, 600 MB for the metadata handler."
  type        = number
  default     = 1769

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }

  validation {
    # The rule the function also applies at cold start (src/ImagePattern.Function/Configuration/MemoryBudget.cs). Slots:
    # one per 1769 MB, 1-6; each holds two sources (one decoding, the next one read). Decode bytes of one image, as the
    # memory-budget drill measured them at the default budget: skia 6 x max_source_pixels (PNG/WebP/GIF decoded whole);
    # libvips 8 x max_interlaced_pixels (it streams the rest); metadata 13 x max_interlaced_pixels (baseline JPEG by
    # rows, the rest whole: a 16-bit RGBA interlaced PNG measured 12.2 bytes/pixel of decode beside its source).
    condition = var.memory_size >= ceil(128 + min(6, max(1, ceil(var.memory_size / 1769))) * (2 * var.max_source_bytes + (
      var.handler == "metadata" ? 13 * var.max_interlaced_pixels
      : var.image_engine == "skia" ? 6 * var.max_source_pixels : 8 * var.max_interlaced_pixels
    )) / 1048576)
    error_message = "memory_size cannot hold the image slots it buys (one per 1769 MB) at the decode budget: it needs at least 128 + slots x (2 x max_source_bytes + decode bytes) / MiB, where decode bytes are 6 x max_source_pixels (skia), 8 x max_interlaced_pixels (libvips) or 13 x max_interlaced_pixels (metadata handler). Raise memory_size or lower the limits."
  }
}

variable "timeout_seconds" {
  description = "Function timeout. The queue's visibility timeout must be at least 6 x this + the batching window. (The function takes each invocation's deadline from the Runtime API, not from this value.)"
  type        = number
  default     = 60

  validation {
    condition     = var.timeout_seconds >= 3 && var.timeout_seconds <= 900 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number from 3 to 900."
  }
}

variable "log_retention_in_days" {
  description = "Days CloudWatch keeps the function's logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs offers: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_level" {
  description = "Lowest level the function logs (POWERTOOLS_LOG_LEVEL)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN, ERROR or CRITICAL."
  }
}

variable "service_name" {
  description = "Service name in log lines and the \"service\" dimension of the metrics (POWERTOOLS_SERVICE_NAME)."
  type        = string
  default     = "imagepattern"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.service_name))
    error_message = "service_name must be 1-64 letters, digits, dots, hyphens or underscores."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the function's embedded-format metrics (POWERTOOLS_METRICS_NAMESPACE)."
  type        = string
  default     = "ImagePattern"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 letters, digits or . _ / # : - and must not start with \"AWS/\"."
  }
}

variable "thumbnail_sizes" {
  description = "Boxes each image is fitted into, as WIDTHxHEIGHT; one thumbnail per box."
  type        = list(string)
  default     = ["128x128", "512x512"]
  # null (a wrapper passing "not set", such as modules/consumer for the metadata handler) means the default.
  nullable = false

  validation {
    condition = length(var.thumbnail_sizes) > 0 && alltrue([
      for s in var.thumbnail_sizes : can(regex("^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}$", s)) && alltrue([for d in split("x", s) : tonumber(d) <= 10000])
    ]) && length(distinct(var.thumbnail_sizes)) == length(var.thumbnail_sizes)
    error_message = "thumbnail_sizes must list distinct WIDTHxHEIGHT boxes with each side from 1 to 10000, such as \"128x128\"."
  }
}

variable "output_format" {
  description = "Format of the thumbnails; \"source\" keeps the format of the upload. avif needs image_engine = \"libvips\"."
  type        = string
  default     = "webp"
  # null (a wrapper passing "not set", such as modules/consumer for the metadata handler) means the default.
  nullable = false

  validation {
    condition     = contains(["webp", "jpeg", "png", "avif", "source"], var.output_format)
    error_message = "output_format must be webp, jpeg, png, avif or source."
  }

  validation {
    condition     = !(var.output_format == "avif" && var.image_engine == "skia")
    error_message = "output_format = \"avif\" needs image_engine = \"libvips\": SkiaSharp has no AVIF encoder."
  }
}

variable "image_engine" {
  description = "Image engine (IMAGE_ENGINE): skia (SkiaSharp, the default) or libvips (NetVips). libvips also reads TIFF, AVIF and AV1-coded HEIF (not HEVC, as in a phone's .heic) and writes AVIF."
  type        = string
  default     = "skia"

  validation {
    condition     = contains(["skia", "libvips"], var.image_engine)
    error_message = "image_engine must be \"skia\" or \"libvips\"."
  }
}

variable "image_suffixes" {
  description = "Lowercase key extensions the function processes (IMAGE_SUFFIXES, matched case-insensitively); other keys are acknowledged as Ignored. null follows the engine: skia .jpg .jpeg .png .webp .gif; libvips adds .tif .tiff .avif .heif (AV1-coded HEIF only; .heic, HEVC, is not decoded)."
  type        = list(string)
  default     = null

  validation {
    condition = var.image_suffixes == null || (
      length(coalesce(var.image_suffixes, ["-"])) > 0
      && alltrue([for s in coalesce(var.image_suffixes, []) : can(regex("^\\.[a-z0-9]{1,10}$", s))])
      && length(distinct(coalesce(var.image_suffixes, []))) == length(coalesce(var.image_suffixes, []))
    )
    error_message = "image_suffixes must be null or list distinct lowercase extensions with their dot, such as \".jpg\"."
  }

  # local.engine_suffixes (main.tf) is the one list of what each engine decodes.
  validation {
    condition     = var.image_suffixes == null || alltrue([for s in coalesce(var.image_suffixes, []) : contains(lookup(local.engine_suffixes, var.image_engine, []), s)])
    error_message = "image_suffixes lists an extension that the chosen image_engine cannot decode (skia: .jpg .jpeg .png .webp .gif; libvips adds .tif .tiff .avif .heif; HEVC .heic is not decoded)."
  }
}

variable "output_quality" {
  description = "Encoder quality of the thumbnails, 1-100."
  type        = number
  default     = 80
  # null (a wrapper passing "not set", such as modules/consumer for the metadata handler) means the default.
  nullable = false

  validation {
    condition     = var.output_quality >= 1 && var.output_quality <= 100 && floor(var.output_quality) == var.output_quality
    error_message = "output_quality must be a whole number from 1 to 100."
  }
}

variable "max_source_bytes" {
  description = "Largest upload the function reads, in bytes; larger objects are recorded as failed."
  type        = number
  default     = 52428800

  validation {
    condition     = var.max_source_bytes >= 1 && var.max_source_bytes <= 2000000000 && floor(var.max_source_bytes) == var.max_source_bytes
    error_message = "max_source_bytes must be a whole number from 1 to 2000000000."
  }
}

variable "max_source_pixels" {
  description = "Largest width x height the function decodes."
  type        = number
  default     = 100000000

  validation {
    condition     = var.max_source_pixels >= 1 && var.max_source_pixels <= 1000000000 && floor(var.max_source_pixels) == var.max_source_pixels
    error_message = "max_source_pixels must be a whole number from 1 to 1000000000."
  }
}

variable "max_interlaced_pixels" {
  description = "Largest width x height for interlaced or progressive images, which are decoded whole rather than streamed."
  type        = number
  default     = 30000000

  validation {
    condition     = var.max_interlaced_pixels >= 1 && var.max_interlaced_pixels <= var.max_source_pixels && floor(var.max_interlaced_pixels) == var.max_interlaced_pixels
    error_message = "max_interlaced_pixels must be a whole number from 1 up to max_source_pixels."
  }
}

variable "task_ttl_days" {
  description = "Days a task record lives before DynamoDB's TTL removes it; within that time a repeated notification is recognised as a duplicate."
  type        = number
  default     = 30

  validation {
    condition     = var.task_ttl_days >= 1 && var.task_ttl_days <= 3650 && floor(var.task_ttl_days) == var.task_ttl_days
    error_message = "task_ttl_days must be a whole number from 1 to 3650."
  }
}

variable "source_bucket_name" {
  description = "Bucket the uploads are read from (SOURCE_BUCKET); notifications from other buckets are ignored."
  type        = string
}

variable "source_bucket_arn" {
  description = "ARN of the source bucket; the role may read objects under source_prefix only."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:s3:::[^/*]+$", var.source_bucket_arn))
    error_message = "source_bucket_arn must be an S3 bucket ARN such as arn:aws:s3:::my-bucket."
  }
}

variable "source_prefix" {
  description = "Key prefix the function may read from (\"\" = the whole bucket); the same prefix the notification filters on."
  type        = string
  default     = ""

  validation {
    condition     = !startswith(var.source_prefix, "/") && !strcontains(var.source_prefix, "*")
    error_message = "source_prefix must not start with \"/\" or contain \"*\"."
  }
}

variable "output_bucket_name" {
  description = "Bucket the thumbnails are written to (OUTPUT_BUCKET); required by the thumbnails handler, unused by metadata."
  type        = string
  default     = null

  validation {
    condition     = var.handler != "thumbnails" || var.output_bucket_name != null
    error_message = "The thumbnails handler needs output_bucket_name."
  }

  validation {
    condition     = var.output_bucket_name != var.source_bucket_name
    error_message = "The output bucket must not be the source bucket: thumbnails would notify the queue and be processed again."
  }
}

variable "output_bucket_arn" {
  description = "ARN of the output bucket; the role may write objects under output_prefix only. Required by the thumbnails handler."
  type        = string
  default     = null

  validation {
    condition     = var.output_bucket_arn == null ? var.handler != "thumbnails" : can(regex("^arn:[a-z-]+:s3:::[^/*]+$", coalesce(var.output_bucket_arn, "-")))
    error_message = "output_bucket_arn must be an S3 bucket ARN such as arn:aws:s3:::my-bucket."
  }
}

variable "output_prefix" {
  description = "Key prefix of the thumbnails (OUTPUT_PREFIX): \"\" or a prefix ending in \"/\"."
  type        = string
  default     = ""
  # null (a wrapper passing "not set", such as modules/consumer for the metadata handler) means the default.
  nullable = false

  validation {
    condition     = var.output_prefix == "" || (endswith(var.output_prefix, "/") && !startswith(var.output_prefix, "/") && !strcontains(var.output_prefix, "*"))
    error_message = "output_prefix must be \"\" or end with \"/\", without a leading \"/\" or any \"*\"."
  }
}

variable "tasks_table_name" {
  description = "DynamoDB table of task records (TASKS_TABLE)."
  type        = string
}

variable "tasks_table_arn" {
  description = "ARN of the task table; the role may put, update, get and delete its items."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", var.tasks_table_arn))
    error_message = "tasks_table_arn must be a DynamoDB table ARN (arn:<partition>:dynamodb:<region>:<account>:table/<name>)."
  }
}

variable "queue_arn" {
  description = "ARN of the SQS queue the function consumes."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$", var.queue_arn))
    error_message = "queue_arn must be an SQS queue ARN (arn:<partition>:sqs:<region>:<account>:<name>)."
  }
}

variable "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of that queue (the queue module's output). The plan fails unless it is at least 6 x timeout_seconds + batching_window_seconds."
  type        = number
}

variable "batch_size" {
  description = "Most messages per invocation. Above 10, SQS requires a batching window of at least 1 second."
  type        = number
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size must be a whole number from 1 to 10000."
  }
}

variable "batching_window_seconds" {
  description = "Longest the event source mapping waits to fill a batch (maximum_batching_window_in_seconds)."
  type        = number
  default     = 0

  validation {
    condition     = var.batching_window_seconds >= 0 && var.batching_window_seconds <= 300 && floor(var.batching_window_seconds) == var.batching_window_seconds
    error_message = "batching_window_seconds must be a whole number from 0 to 300."
  }
}

variable "maximum_concurrency" {
  description = "Most concurrent invocations the SQS event source may start (scaling_config.maximum_concurrency), in on-demand mode. null leaves it unset, as provisioned mode (provisioned_pollers) requires."
  type        = number
  default     = 10

  validation {
    condition     = var.maximum_concurrency == null || (coalesce(var.maximum_concurrency, 2) >= 2 && coalesce(var.maximum_concurrency, 2) <= 1000 && floor(coalesce(var.maximum_concurrency, 2)) == coalesce(var.maximum_concurrency, 2))
    error_message = "maximum_concurrency must be null or a whole number from 2 to 1000 (the SQS event source's limits)."
  }
}

variable "provisioned_pollers" {
  description = "Provisioned mode of the event source mapping (provisioned_poller_config): event pollers kept ready, from minimum (2-200) to maximum (2-2000), billed while provisioned. null (the default) is on-demand mode. AWS takes this or maximum_concurrency, not both: set maximum_concurrency = null with it."
  type = object({
    minimum = optional(number, 2)
    maximum = optional(number, 200)
  })
  default = null

  validation {
    condition = var.provisioned_pollers == null || (
      try(var.provisioned_pollers.minimum >= 2 && var.provisioned_pollers.minimum <= 200 && floor(var.provisioned_pollers.minimum) == var.provisioned_pollers.minimum, false)
      && try(var.provisioned_pollers.maximum >= 2 && var.provisioned_pollers.maximum <= 2000 && floor(var.provisioned_pollers.maximum) == var.provisioned_pollers.maximum, false)
      && try(var.provisioned_pollers.minimum <= var.provisioned_pollers.maximum, false)
    )
    error_message = "provisioned_pollers needs whole numbers with 2 <= minimum <= 200, 2 <= maximum <= 2000 and minimum <= maximum (the SQS limits of provisioned mode)."
  }

  validation {
    condition     = var.provisioned_pollers == null || var.maximum_concurrency == null
    error_message = "provisioned_pollers and maximum_concurrency cannot both be set: AWS takes one or the other on an SQS event source mapping. In provisioned mode set maximum_concurrency = null (the pollers then bound the concurrency); for a concurrency cap, leave provisioned_pollers null."
  }
}

variable "event_source_mapping_metrics" {
  description = "Turn on the event source mapping's EventCount metrics (metrics_config): PolledEventCount, InvokedEventCount, FilteredOutEventCount, FailedInvokeEventCount, DeletedEventCount, DroppedEventCount in AWS/Lambda by EventSourceMappingUUID. Off by default: they are charged as CloudWatch metrics."
  type        = bool
  default     = false
  nullable    = false
}

variable "tracing_mode" {
  description = "X-Ray tracing of the function (tracing_config.mode): PassThrough (the default: no sampling of its own, an incoming trace header is kept) or Active (Lambda samples and records segments; the role gets xray:PutTraceSegments and xray:PutTelemetryRecords)."
  type        = string
  default     = "PassThrough"
  nullable    = false

  validation {
    condition     = contains(["PassThrough", "Active"], var.tracing_mode)
    error_message = "tracing_mode must be \"PassThrough\" or \"Active\"."
  }
}

variable "tags" {
  description = "Tags for the function, role, log group and event source mapping, on top of the provider's default_tags."
  type        = map(string)
  default     = {}
}
