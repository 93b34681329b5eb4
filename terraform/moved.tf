# State moves from earlier versions of this stack: with these, `terraform plan` on a state written by an earlier
# version shows "has moved to" for each address below and creates or destroys nothing for it. Keep them until
# every state (each workspace, each copy of the template) has been applied once with this version.

# The uploads topic, its key and its policy (sns-fanout) were written in main.tf before modules/encrypted_topic.
moved {
  from = aws_kms_key.uploads[0]
  to   = module.uploads_topic[0].aws_kms_key.this
}

moved {
  from = aws_sns_topic.uploads[0]
  to   = module.uploads_topic[0].aws_sns_topic.this
}

moved {
  from = aws_sns_topic_policy.uploads[0]
  to   = module.uploads_topic[0].aws_sns_topic_policy.this
}

# The thumbnailer's table, queue, function and alarms were four module blocks in main.tf before modules/consumer;
# each block now lives inside its consumer module call. The other consumers (module.consumer, one instance per entry
# of var.consumers) have no moved blocks: see CHANGELOG.md.
moved {
  from = module.tasks_table
  to   = module.thumbnails.module.tasks_table
}

moved {
  from = module.queue
  to   = module.thumbnails.module.queue
}

moved {
  from = module.function
  to   = module.thumbnails.module.function
}

moved {
  from = module.alarms
  to   = module.thumbnails.module.alarms
}
