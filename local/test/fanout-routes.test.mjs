// The two fan-out routes from one upload to several consumer queues:
//   S3 -> SNS topic -> subscribed queues (TopicConfiguration; topics and subscriptions are fauxqs')
//   S3 -> EventBridge -> rules -> queue targets (EventBridgeConfiguration; the local event bus delivers)

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EventBridge, notificationXml, S3, Sns, Sqs } from '../test-support/clients.mjs';
import { startStackProcess } from '../test-support/stack-process.mjs';

const IMAGE_SUFFIXES = ['.jpg', '.jpeg', '.png', '.webp', '.gif'];

let stack;
let s3;
let sqs;
let sns;
let events;
let counter = 0;

const md5 = (bytes) => createHash('md5').update(bytes).digest('hex');
const formDecode = (key) => decodeURIComponent(key.replaceAll('+', ' '));

/** Every message on the queue (received and deleted), parsed. Messages are enqueued before S3 answers. */
const drain = (queue) => sqs.drain(queue.url);

async function only(queue) {
  const messages = await drain(queue);
  assert.equal(messages.length, 1, JSON.stringify(messages));
  return messages[0];
}

before(async () => {
  stack = await startStackProcess();
  s3 = new S3(stack.ready.s3);
  sqs = new Sqs(stack.ready.sqs);
  sns = new Sns(stack.ready.sns);
  events = new EventBridge(stack.ready.events);
});

after(async () => {
  await stack?.stop();
});

describe('sns fan-out', () => {
  /** A bucket whose uploads/ prefix goes to a topic with the given queues subscribed; test events drained. */
  async function topicWithQueues(subscriptions) {
    counter += 1;
    const bucket = `sns-bucket-${counter}`;
    await s3.createBucket(bucket);
    const topicArn = await sns.createTopic(`sns-topic-${counter}`);
    const queues = [];
    for (const [index, { raw = false } = {}] of subscriptions.entries()) {
      const queue = await sqs.createQueue(`sns-consumer-${counter}-${index}`);
      await sns.subscribeQueue(topicArn, queue.arn, { raw });
      queues.push(queue);
    }
    const put = await s3.putNotification(bucket, notificationXml([
      { id: 'fanout', arn: topicArn, events: ['s3:ObjectCreated:*'], prefix: 'uploads/', topic: true },
    ]));
    assert.equal(put.status, 200, put.text);
    for (const queue of queues) await drain(queue);
    return { bucket, topicArn, queues };
  }

  it('Upload_ReachesEverySubscribedQueue_InTheSnsEnvelope', async () => {
    const { bucket, topicArn, queues } = await topicWithQueues([{}, {}]);
    const key = 'uploads/holiday 2024/IMG_0001.Jpg';
    const body = randomBytes(2345);
    const before = Date.now();
    assert.equal((await s3.putObject(bucket, key, body)).status, 200);

    const envelopes = [];
    for (const queue of queues) {
      const envelope = await only(queue);
      assert.deepEqual(Object.keys(envelope), [
        'Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL',
      ], 'SNS omits MessageAttributes when the publisher sent none, as S3 does');
      assert.equal(envelope.Type, 'Notification');
      assert.equal(envelope.TopicArn, topicArn);
      assert.equal(envelope.Subject, 'Amazon S3 Notification');
      assert.match(envelope.MessageId, /^[0-9a-f-]{36}$/);
      assert.ok(Date.parse(envelope.Timestamp) >= before - 1000, envelope.Timestamp);
      for (const field of ['SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']) assert.equal(typeof envelope[field], 'string', field);
      assert.equal(typeof envelope.Message, 'string', 'Message is the S3 event as a JSON string');

      const { Records } = JSON.parse(envelope.Message);
      assert.equal(Records.length, 1);
      const [record] = Records;
      assert.equal(record.eventSource, 'aws:s3');
      assert.equal(record.eventName, 'ObjectCreated:Put');
      assert.equal(record.s3.configurationId, 'fanout');
      assert.equal(record.s3.bucket.name, bucket);
      assert.equal(record.s3.object.key, 'uploads/holiday+2024/IMG_0001.Jpg');
      assert.equal(formDecode(record.s3.object.key), key);
      assert.equal(record.s3.object.size, body.length);
      assert.equal(record.s3.object.eTag, md5(body));
      envelopes.push(envelope);
    }
    assert.equal(envelopes[0].MessageId, envelopes[1].MessageId, 'one publish, delivered to both');
    assert.equal(envelopes[0].Message, envelopes[1].Message);
  });

  it('PutConfiguration_PublishesTheTestEventThroughTheTopic', async () => {
    counter += 1;
    const bucket = `sns-bucket-${counter}`;
    await s3.createBucket(bucket);
    const topicArn = await sns.createTopic(`sns-topic-${counter}`);
    const queue = await sqs.createQueue(`sns-consumer-${counter}`);
    await sns.subscribeQueue(topicArn, queue.arn);
    await s3.putNotification(bucket, notificationXml([{ id: 't', arn: topicArn, events: ['s3:ObjectCreated:*'], topic: true }]));
    const envelope = await only(queue);
    assert.equal(envelope.Type, 'Notification');
    const test = JSON.parse(envelope.Message);
    assert.equal(test.Event, 's3:TestEvent');
    assert.equal(test.Bucket, bucket);
  });

  it('RawSubscription_GetsTheBareS3Event', async () => {
    const { bucket, queues: [raw] } = await topicWithQueues([{ raw: true }]);
    const body = randomBytes(10);
    await s3.putObject(bucket, 'uploads/a.png', body);
    const message = await only(raw);
    assert.equal(message.Type, undefined);
    assert.equal(message.Records[0].s3.object.key, 'uploads/a.png');
    assert.equal(message.Records[0].s3.object.eTag, md5(body));
  });

  it('SubscriptionWithAttributeFilterPolicy_GetsNothing_SinceS3PublishesNoAttributes', async () => {
    const { bucket, topicArn, queues: [plain] } = await topicWithQueues([{}]);
    const filtered = await sqs.createQueue(`sns-filtered-${counter}`);
    const subscriptionArn = await sns.subscribeQueue(topicArn, filtered.arn);
    await sns.call('SetSubscriptionAttributes', { SubscriptionArn: subscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"kind":["image"]}' });
    await s3.putObject(bucket, 'uploads/a.jpg', 'x');
    assert.equal((await drain(plain)).length, 1);
    assert.deepEqual(await drain(filtered), []);
  });

  it('KeyOutsideThePrefix_PublishesNothing', async () => {
    const { bucket, queues } = await topicWithQueues([{}]);
    await s3.putObject(bucket, 'elsewhere/a.jpg', 'x');
    assert.deepEqual(await drain(queues[0]), []);
  });

  it('QueueUnsubscribedFromTheTopic_GetsNothing', async () => {
    const { bucket, queues } = await topicWithQueues([{}]);
    const bystander = await sqs.createQueue(`sns-bystander-${counter}`);
    await s3.putObject(bucket, 'uploads/a.jpg', 'x');
    assert.equal((await drain(queues[0])).length, 1);
    assert.deepEqual(await drain(bystander), []);
  });
});

describe('eventbridge', () => {
  /** The pattern Terraform writes for a consumer: the bucket, and the key by extension in any case or by prefix. */
  function terraformPattern(bucket, { prefix } = {}) {
    const key = prefix === undefined ? IMAGE_SUFFIXES.map((s) => ({ suffix: { 'equals-ignore-case': s } })) : [{ prefix }];
    return { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [bucket] }, object: { key } } };
  }

  /** A bucket sending to EventBridge, with one rule per consumer queue (as Terraform deploys them). */
  async function bucketWithRules(consumers = ['thumbnails', 'metadata'], patternOptions = {}) {
    counter += 1;
    const bucket = `eb-bucket-${counter}`;
    await s3.createBucket(bucket);
    const queues = [];
    for (const consumer of consumers) {
      const queue = await sqs.createQueue(`eb-${consumer}-${counter}`);
      await events.ruleToQueues(`eb-${consumer}-${counter}`, terraformPattern(bucket, patternOptions), [queue.arn]);
      queues.push(queue);
    }
    const put = await s3.putNotification(bucket, notificationXml([], { eventBridge: true }));
    assert.equal(put.status, 200, put.text);
    return { bucket, queues };
  }

  it('Upload_ReachesEveryMatchingRulesQueue_AsObjectCreated', async () => {
    const { bucket, queues } = await bucketWithRules();
    for (const queue of queues) assert.deepEqual(await drain(queue), [], 'S3 sends no test event to EventBridge');

    const key = 'holiday/beach day + sunset été.JPG';
    const body = randomBytes(4321);
    const before = Date.now();
    const put = await s3.putObject(bucket, key, body);
    assert.equal(put.status, 200);

    const received = [];
    for (const queue of queues) {
      const event = await only(queue);
      assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      assert.equal(event.version, '0');
      assert.match(event.id, /^[0-9a-f-]{36}$/);
      assert.equal(event['detail-type'], 'Object Created');
      assert.equal(event.source, 'aws.s3');
      assert.match(event.account, /^\d{12}$/);
      assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(Date.parse(event.time) >= before - 1000);
      assert.equal(event.region, 'us-east-1');
      assert.deepEqual(event.resources, [`arn:aws:s3:::${bucket}`]);
      assert.deepEqual(Object.keys(event.detail), ['version', 'bucket', 'object', 'request-id', 'requester', 'source-ip-address', 'reason']);
      assert.equal(event.detail.version, '0');
      assert.deepEqual(event.detail.bucket, { name: bucket });
      assert.deepEqual(Object.keys(event.detail.object), ['key', 'size', 'etag', 'sequencer']);
      assert.equal(event.detail.object.key, key, 'EventBridge carries the key as stored, not URL-encoded');
      assert.equal(event.detail.object.size, body.length);
      assert.equal(event.detail.object.etag, md5(body));
      assert.match(event.detail.object.sequencer, /^[0-9A-F]+$/);
      assert.equal(event.detail['request-id'], put.headers.get('x-amz-request-id'));
      assert.equal(event.detail['source-ip-address'], '127.0.0.1');
      assert.equal(event.detail.reason, 'PutObject');
      received.push(event);
    }
    assert.equal(received[0].id, received[1].id, 'one event, delivered by both rules');
  });

  it('UpperCaseExtension_MatchesTheCaseInsensitiveSuffixRule', async () => {
    const { bucket, queues: [queue] } = await bucketWithRules(['thumbnails']);
    for (const key of ['IMG_0001.Jpg', 'scan.PNG', 'anim.GiF']) await s3.putObject(bucket, key, 'x');
    const keys = (await drain(queue)).map((e) => e.detail.object.key).sort();
    assert.deepEqual(keys, ['IMG_0001.Jpg', 'anim.GiF', 'scan.PNG']);
  });

  it('NonMatchingKey_IsNotDelivered', async () => {
    const { bucket, queues: [queue] } = await bucketWithRules(['thumbnails']);
    for (const key of ['notes.txt', 'photo.jpg.bak', 'jpg']) await s3.putObject(bucket, key, 'x');
    assert.deepEqual(await drain(queue), []);
  });

  it('PrefixRule_RoutesEveryKeyUnderThePrefix', async () => {
    const { bucket, queues: [queue] } = await bucketWithRules(['thumbnails'], { prefix: 'uploads/' });
    for (const key of ['uploads/a.JPG', 'uploads/notes.txt', 'other/a.jpg']) await s3.putObject(bucket, key, 'x');
    const keys = (await drain(queue)).map((e) => e.detail.object.key).sort();
    assert.deepEqual(keys, ['uploads/a.JPG', 'uploads/notes.txt']);
  });

  it('RuleForAnotherBucket_IsNotDelivered', async () => {
    const { queues: [queue] } = await bucketWithRules(['thumbnails']);
    const { bucket: other } = await bucketWithRules(['metadata']);
    await s3.putObject(other, 'a.jpg', 'x');
    assert.deepEqual(await drain(queue), []);
  });

  it('BucketWithoutEventBridgeConfiguration_SendsNothingToTheBus', async () => {
    counter += 1;
    const bucket = `eb-bucket-${counter}`;
    await s3.createBucket(bucket);
    const queue = await sqs.createQueue(`eb-queue-${counter}`);
    await events.ruleToQueues(`eb-rule-${counter}`, terraformPattern(bucket), [queue.arn]);
    await s3.putObject(bucket, 'a.jpg', 'x');
    assert.deepEqual(await drain(queue), []);
  });

  it('CopyObject_IsDeliveredWithReasonCopyObject', async () => {
    const { bucket, queues: [queue] } = await bucketWithRules(['thumbnails']);
    const body = randomBytes(99);
    await s3.putObject(bucket, 'src.txt', body);
    await s3.copyObject(bucket, 'copy.PNG', bucket, 'src.txt');
    const event = await only(queue);
    assert.equal(event.detail.reason, 'CopyObject');
    assert.equal(event.detail.object.key, 'copy.PNG');
    assert.equal(event.detail.object.etag, md5(body));
  });

  it('TargetQueueDeleted_UploadStillSucceeds_AndOtherTargetsStillGetTheEvent', async () => {
    const { bucket, queues: [gone, kept] } = await bucketWithRules();
    await sqs.call('DeleteQueue', { QueueUrl: gone.url });
    assert.equal((await s3.putObject(bucket, 'a.jpg', 'x')).status, 200);
    assert.equal((await only(kept)).detail.object.key, 'a.jpg');
  });

  it('DisabledRule_DeliversNothing_UntilEnabledAgain', async () => {
    const { bucket, queues: [queue] } = await bucketWithRules(['thumbnails']);
    const name = `eb-thumbnails-${counter}`;
    const pattern = JSON.stringify(terraformPattern(bucket));
    assert.equal((await events.call('PutRule', { Name: name, EventPattern: pattern, State: 'DISABLED' })).status, 200);
    await s3.putObject(bucket, 'a.jpg', 'x');
    assert.deepEqual(await drain(queue), []);
    assert.equal((await events.call('PutRule', { Name: name, EventPattern: pattern })).status, 200);
    await s3.putObject(bucket, 'b.jpg', 'x');
    assert.equal((await only(queue)).detail.object.key, 'b.jpg', 'PutRule kept the targets');
  });
});

describe('event bus api', () => {
  it('PutRule_ThenDescribeAndListTargets_ReturnWhatWasPut', async () => {
    counter += 1;
    const name = `api-rule-${counter}`;
    const queue = await sqs.createQueue(`api-queue-${counter}`);
    const pattern = JSON.stringify({ source: ['aws.s3'] });
    const arn = await events.ruleToQueues(name, JSON.parse(pattern), [queue.arn]);
    assert.equal(arn, `arn:aws:events:us-east-1:000000000000:rule/${name}`);

    const described = await events.call('DescribeRule', { Name: name });
    assert.equal(described.status, 200);
    assert.deepEqual(described.body, { Name: name, Arn: arn, EventPattern: pattern, State: 'ENABLED', EventBusName: 'default' });
    assert.deepEqual((await events.call('ListTargetsByRule', { Rule: name })).body, { Targets: [{ Id: 'target-1', Arn: queue.arn }] });
    assert.deepEqual((await events.call('ListRules', { NamePrefix: name })).body.Rules.map((r) => r.Name), [name]);
  });

  it('DeleteRule_WithTargets_IsRefused_AndSucceedsAfterRemoveTargets', async () => {
    counter += 1;
    const name = `api-rule-${counter}`;
    const queue = await sqs.createQueue(`api-queue-${counter}`);
    await events.ruleToQueues(name, { source: ['aws.s3'] }, [queue.arn]);
    const refused = await events.call('DeleteRule', { Name: name });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.__type, 'ValidationException');
    assert.equal((await events.call('RemoveTargets', { Rule: name, Ids: ['target-1'] })).status, 200);
    assert.equal((await events.call('DeleteRule', { Name: name })).status, 200);
    assert.equal((await events.call('DescribeRule', { Name: name })).body.__type, 'ResourceNotFoundException');
  });

  it('PutRule_WithUnsupportedOperator_IsRefusedAsInvalidPattern', async () => {
    for (const pattern of ['{"source": "aws.s3"}', '{"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}', 'not json', '{}']) {
      const response = await events.call('PutRule', { Name: `api-bad-${counter}`, EventPattern: pattern });
      assert.equal(response.status, 400, pattern);
      assert.equal(response.body.__type, 'InvalidEventPatternException', pattern);
    }
  });

  it('PutTargets_NonQueueTargetOrInputTransformer_IsRefused', async () => {
    counter += 1;
    const name = `api-rule-${counter}`;
    await events.call('PutRule', { Name: name, EventPattern: '{"source":["aws.s3"]}' });
    const lambda = await events.call('PutTargets', { Rule: name, Targets: [{ Id: 'f', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }] });
    assert.equal(lambda.body.__type, 'ValidationException');
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:q';
    const transformed = await events.call('PutTargets', { Rule: name, Targets: [{ Id: 'q', Arn: queueArn, InputPath: '$.detail' }] });
    assert.equal(transformed.body.__type, 'ValidationException');
    assert.deepEqual((await events.call('ListTargetsByRule', { Rule: name })).body.Targets, []);
  });

  it('OtherEventBus_IsNotFound', async () => {
    const response = await events.call('PutRule', { Name: 'x', EventPattern: '{"source":["aws.s3"]}', EventBusName: 'custom' });
    assert.equal(response.body.__type, 'ResourceNotFoundException');
  });
});

describe('another region', () => {
  let regional;

  before(async () => {
    regional = await startStackProcess(['--port', '0', '--dynamo-port', '0', '--region', 'eu-west-1']);
  });

  after(async () => {
    await regional?.stop();
  });

  it('EnvelopeAndEvent_NameTheStacksRegion', async () => {
    const rs3 = new S3(regional.ready.s3);
    const rsqs = new Sqs(regional.ready.sqs, 'eu-west-1');
    const rsns = new Sns(regional.ready.sns, 'eu-west-1');
    const rEvents = new EventBridge(regional.ready.events);
    await rs3.createBucket('regional');
    const viaTopic = await rsqs.createQueue('via-topic');
    const viaBus = await rsqs.createQueue('via-bus');
    const topicArn = await rsns.createTopic('regional-uploads');
    assert.match(topicArn, /^arn:aws:sns:eu-west-1:/);
    await rsns.subscribeQueue(topicArn, viaTopic.arn);
    const ruleArn = await rEvents.ruleToQueues('regional-rule', { source: ['aws.s3'] }, [viaBus.arn]);
    assert.match(ruleArn, /^arn:aws:events:eu-west-1:/);
    const put = await rs3.putNotification('regional', notificationXml([{ id: 't', arn: topicArn, events: ['s3:ObjectCreated:*'], topic: true }], { eventBridge: true }));
    assert.equal(put.status, 200, put.text);
    await rsqs.drain(viaTopic.url);

    await rs3.putObject('regional', 'a.jpg', 'x');
    const [envelope] = await rsqs.drain(viaTopic.url);
    assert.match(envelope.SigningCertURL, /^https:\/\/sns\.eu-west-1\./);
    assert.match(envelope.UnsubscribeURL, /^https:\/\/sns\.eu-west-1\./);
    assert.equal(JSON.parse(envelope.Message).Records[0].awsRegion, 'eu-west-1');
    const [event] = await rsqs.drain(viaBus.url);
    assert.equal(event.region, 'eu-west-1');
  });
});
