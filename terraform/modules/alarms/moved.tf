# State moves from earlier versions of this module: the alarm topic, its key and its policy were written here
# before modules/encrypted_topic. Keep them until every state has been applied once with this version.
moved {
  from = aws_kms_key.topic[0]
  to   = module.topic[0].aws_kms_key.this
}

moved {
  from = aws_sns_topic.alarms[0]
  to   = module.topic[0].aws_sns_topic.this
}

moved {
  from = aws_sns_topic_policy.alarms[0]
  to   = module.topic[0].aws_sns_topic_policy.this
}
