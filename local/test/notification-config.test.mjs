// PutBucketNotificationConfiguration / GetBucketNotificationConfiguration through the bridge.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { childrenNamed } from '../emulators/s3-sqs-sns/xml.mjs';
import { notificationXml, S3, Sns, Sqs, xmlText } from '../test-support/clients.mjs';
import { startStackProcess } from '../test-support/stack-process.mjs';

let stack;
let s3;
let sqs;
let sns;
let counter = 0;

async function bucketAndQueue() {
  counter += 1;
  const bucket = `cfg-bucket-${counter}`;
  assert.equal((await s3.createBucket(bucket)).status, 200);
  const queue = await sqs.createQueue(`cfg-queue-${counter}`);
  return { bucket, queue };
}

before(async () => {
  stack = await startStackProcess();
  s3 = new S3(stack.ready.s3);
  sqs = new Sqs(stack.ready.sqs);
  sns = new Sns(stack.ready.sns);
});

after(async () => {
  await stack?.stop();
});

describe('notification configuration', () => {
  it('Put_ThenGet_ReturnsTheSameQueueConfigurations', async () => {
    const { bucket, queue } = await bucketAndQueue();
    const put = await s3.putNotification(bucket, notificationXml([
      { id: 'images', arn: queue.arn, events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.jpg' },
      { id: 'copies', arn: queue.arn, events: ['s3:ObjectCreated:Copy'], prefix: 'copied/' },
    ]));
    assert.equal(put.status, 200, put.text);

    const got = await s3.getNotification(bucket);
    assert.equal(got.status, 200);
    assert.equal(got.xml.name, 'NotificationConfiguration');
    const configurations = childrenNamed(got.xml, 'QueueConfiguration').map((c) => ({
      id: xmlText(c, 'Id'),
      queue: xmlText(c, 'Queue'),
      events: childrenNamed(c, 'Event').map((e) => e.text),
      rules: childrenNamed(c, 'Filter').flatMap((f) => f.children[0].children.map((r) => [xmlText(r, 'Name'), xmlText(r, 'Value')])),
    }));
    assert.deepEqual(configurations, [
      { id: 'images', queue: queue.arn, events: ['s3:ObjectCreated:*'], rules: [['Prefix', 'in/'], ['Suffix', '.jpg']] },
      { id: 'copies', queue: queue.arn, events: ['s3:ObjectCreated:Copy'], rules: [['Prefix', 'copied/']] },
    ]);
  });

  it('Get_WhenNothingConfigured_ReturnsEmptyConfiguration', async () => {
    const { bucket } = await bucketAndQueue();
    const got = await s3.getNotification(bucket);
    assert.equal(got.status, 200);
    assert.equal(got.xml.name, 'NotificationConfiguration');
    assert.deepEqual(got.xml.children, []);
  });

  it('Put_WithoutId_GeneratesOne', async () => {
    const { bucket, queue } = await bucketAndQueue();
    assert.equal((await s3.putNotification(bucket, notificationXml([{ arn: queue.arn, events: ['s3:ObjectCreated:Put'] }]))).status, 200);
    const id = xmlText((await s3.getNotification(bucket)).xml, 'Id');
    assert.ok(id && id.length > 0);
  });

  it('Put_EmptyConfiguration_ClearsIt', async () => {
    const { bucket, queue } = await bucketAndQueue();
    await s3.putNotification(bucket, notificationXml([{ id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:*'] }]));
    assert.equal((await s3.putNotification(bucket, notificationXml([]))).status, 200);
    assert.deepEqual((await s3.getNotification(bucket)).xml.children, []);
  });

  it('Put_SavesAndSendsTestEventToTheQueue', async () => {
    const { bucket, queue } = await bucketAndQueue();
    const put = await s3.putNotification(bucket, notificationXml([{ id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:*'] }]));
    assert.equal(put.status, 200);

    const messages = await sqs.drain(queue.url);
    assert.equal(messages.length, 1);
    const [event] = messages;
    assert.deepEqual(Object.keys(event), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
    assert.equal(event.Service, 'Amazon S3');
    assert.equal(event.Event, 's3:TestEvent');
    assert.equal(event.Bucket, bucket);
    assert.match(event.Time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(event.RequestId, put.headers.get('x-amz-request-id'));
    assert.ok(event.HostId.length > 0);
  });

  it('Put_TwoConfigurationsOnOneQueue_SendsOneTestEvent', async () => {
    const { bucket, queue } = await bucketAndQueue();
    await s3.putNotification(bucket, notificationXml([
      { id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:*'], prefix: 'a/' },
      { id: 'b', arn: queue.arn, events: ['s3:ObjectCreated:*'], prefix: 'b/' },
    ]));
    assert.equal((await sqs.drain(queue.url)).length, 1);
  });

  for (const [name, first, second] of [
    ['SameEventSamePrefix', { events: ['s3:ObjectCreated:*'], prefix: 'in/' }, { events: ['s3:ObjectCreated:*'], prefix: 'in/' }],
    ['WildcardAndPutNestedPrefix', { events: ['s3:ObjectCreated:*'], prefix: 'in/' }, { events: ['s3:ObjectCreated:Put'], prefix: 'in/sub/' }],
    ['NoFilterAndSuffix', { events: ['s3:ObjectCreated:Put'] }, { events: ['s3:ObjectCreated:Put'], suffix: '.png' }],
    ['NestedSuffixes', { events: ['s3:ObjectCreated:Put'], suffix: '.jpg' }, { events: ['s3:ObjectCreated:Put'], suffix: 'thumb.jpg' }],
  ]) {
    it(`Put_OverlappingRules_${name}_IsRejectedAndKeepsPrevious`, async () => {
      const { bucket, queue } = await bucketAndQueue();
      const other = await sqs.createQueue(`cfg-other-${counter}`);
      await s3.putNotification(bucket, notificationXml([{ id: 'kept', arn: queue.arn, events: ['s3:ObjectCreated:Copy'] }]));
      await sqs.drain(queue.url);

      const put = await s3.putNotification(bucket, notificationXml([
        { id: 'one', arn: queue.arn, ...first },
        { id: 'two', arn: other.arn, ...second },
      ]));
      assert.equal(put.status, 400);
      assert.equal(xmlText(put.xml, 'Code'), 'InvalidArgument');
      assert.match(xmlText(put.xml, 'Message'), /Configurations overlap/);
      assert.equal(xmlText((await s3.getNotification(bucket)).xml, 'Id'), 'kept');
      assert.deepEqual(await sqs.drain(other.url), []);
    });
  }

  for (const [name, first, second] of [
    ['DisjointPrefixes', { events: ['s3:ObjectCreated:*'], prefix: 'a/' }, { events: ['s3:ObjectCreated:*'], prefix: 'b/' }],
    ['DisjointSuffixes', { events: ['s3:ObjectCreated:*'], suffix: '.jpg' }, { events: ['s3:ObjectCreated:Put'], suffix: '.png' }],
    ['DifferentEvents', { events: ['s3:ObjectCreated:Put'] }, { events: ['s3:ObjectCreated:Copy'] }],
  ]) {
    it(`Put_NonOverlappingRules_${name}_IsAccepted`, async () => {
      const { bucket, queue } = await bucketAndQueue();
      const put = await s3.putNotification(bucket, notificationXml([
        { id: 'one', arn: queue.arn, ...first },
        { id: 'two', arn: queue.arn, ...second },
      ]));
      assert.equal(put.status, 200, put.text);
    });
  }

  it('Put_UnknownQueue_IsRejectedNamingTheDestination', async () => {
    const { bucket, queue } = await bucketAndQueue();
    const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    const put = await s3.putNotification(bucket, notificationXml([
      { id: 'ok', arn: queue.arn, events: ['s3:ObjectCreated:Put'] },
      { id: 'bad', arn: missing, events: ['s3:ObjectCreated:Copy'] },
    ]));
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'InvalidArgument');
    assert.equal(xmlText(put.xml, 'Message'), 'Unable to validate the following destination configurations');
    assert.equal(xmlText(put.xml, 'ArgumentName1'), missing);
    assert.deepEqual((await s3.getNotification(bucket)).xml.children, []);
    assert.deepEqual(await sqs.drain(queue.url), [], 'no test event for a rejected configuration');
  });

  it('Put_UnknownQueueWithSkipDestinationValidation_IsStored', async () => {
    const { bucket } = await bucketAndQueue();
    const missing = 'arn:aws:sqs:us-east-1:000000000000:created-later';
    const put = await s3.request('PUT', `/${bucket}?notification`, {
      body: notificationXml([{ id: 'later', arn: missing, events: ['s3:ObjectCreated:*'] }]),
      headers: { 'x-amz-skip-destination-validation': 'true' },
    });
    assert.equal(put.status, 200, put.text);
    assert.equal(xmlText((await s3.getNotification(bucket)).xml, 'Queue'), missing);
  });

  it('Put_QueueInAnotherRegion_IsRejected', async () => {
    const { bucket } = await bucketAndQueue();
    const elsewhere = new Sqs(stack.ready.sqs, 'eu-west-1');
    const queue = await elsewhere.createQueue(`cfg-eu-${counter}`);
    const put = await s3.putNotification(bucket, notificationXml([{ id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:*'] }]));
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'ArgumentName1'), queue.arn);
  });

  it('Put_UnsupportedEvent_IsRejected', async () => {
    const { bucket, queue } = await bucketAndQueue();
    const put = await s3.putNotification(bucket, notificationXml([{ id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:Upload'] }]));
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'InvalidArgument');
  });

  it('Put_DuplicateFilterRule_IsRejected', async () => {
    const { bucket, queue } = await bucketAndQueue();
    const body = `<NotificationConfiguration><QueueConfiguration><Queue>${queue.arn}</Queue><Event>s3:ObjectCreated:*</Event>`
      + '<Filter><S3Key><FilterRule><Name>prefix</Name><Value>a/</Value></FilterRule>'
      + '<FilterRule><Name>Prefix</Name><Value>b/</Value></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>';
    const put = await s3.putNotification(bucket, body);
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'InvalidArgument');
  });

  it('Put_MalformedXml_IsRejected', async () => {
    const { bucket } = await bucketAndQueue();
    const put = await s3.putNotification(bucket, '<NotificationConfiguration><QueueConfiguration>');
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'MalformedXML');
  });

  it('Put_LambdaDestination_IsNotImplemented', async () => {
    const { bucket } = await bucketAndQueue();
    const body = '<NotificationConfiguration><LambdaFunctionConfiguration><LambdaFunctionArn>arn:aws:lambda:us-east-1:000000000000:function:f</LambdaFunctionArn>'
      + '<Event>s3:ObjectCreated:*</Event></LambdaFunctionConfiguration></NotificationConfiguration>';
    const put = await s3.putNotification(bucket, body);
    assert.equal(put.status, 501);
    assert.equal(xmlText(put.xml, 'Code'), 'NotImplemented');
  });

  it('Put_TopicAndEventBridge_ThenGet_ReturnsThemInS3Order', async () => {
    const { bucket, queue } = await bucketAndQueue();
    const topicArn = await sns.createTopic(`cfg-topic-${counter}`);
    const put = await s3.putNotification(bucket, notificationXml([
      { id: 'direct', arn: queue.arn, events: ['s3:ObjectCreated:*'], prefix: 'q/' },
      { id: 'fanout', arn: topicArn, events: ['s3:ObjectCreated:*'], prefix: 't/', topic: true },
    ], { eventBridge: true }));
    assert.equal(put.status, 200, put.text);

    const got = (await s3.getNotification(bucket)).xml;
    assert.deepEqual(got.children.map((c) => c.name), ['TopicConfiguration', 'QueueConfiguration', 'EventBridgeConfiguration']);
    assert.equal(xmlText(got.children[0], 'Topic'), topicArn);
    assert.equal(xmlText(got.children[0], 'Id'), 'fanout');
    assert.equal(xmlText(got.children[0], 'Value'), 't/');
  });

  it('Put_EventBridgeOnly_IsKeptAndClearedLikeAnyConfiguration', async () => {
    const { bucket } = await bucketAndQueue();
    assert.equal((await s3.putNotification(bucket, notificationXml([], { eventBridge: true }))).status, 200);
    assert.deepEqual((await s3.getNotification(bucket)).xml.children.map((c) => c.name), ['EventBridgeConfiguration']);
    assert.equal((await s3.putNotification(bucket, notificationXml([]))).status, 200);
    assert.deepEqual((await s3.getNotification(bucket)).xml.children, []);
  });

  it('Put_UnknownTopic_IsRejectedNamingIt', async () => {
    const { bucket } = await bucketAndQueue();
    const missing = 'arn:aws:sns:us-east-1:000000000000:no-such-topic';
    const put = await s3.putNotification(bucket, notificationXml([{ id: 't', arn: missing, events: ['s3:ObjectCreated:*'], topic: true }]));
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'InvalidArgument');
    assert.equal(xmlText(put.xml, 'ArgumentName1'), missing);
    assert.deepEqual((await s3.getNotification(bucket)).xml.children, [], 'nothing stored');
  });

  it('Put_QueueAndTopicWithOverlappingRules_IsRejected', async () => {
    // S3 checks overlap across destination kinds, not per kind.
    const { bucket, queue } = await bucketAndQueue();
    const topicArn = await sns.createTopic(`cfg-topic-${counter}`);
    const put = await s3.putNotification(bucket, notificationXml([
      { id: 'q', arn: queue.arn, events: ['s3:ObjectCreated:*'], prefix: 'in/' },
      { id: 't', arn: topicArn, events: ['s3:ObjectCreated:Put'], prefix: 'in/photos/', topic: true },
    ]));
    assert.equal(put.status, 400);
    assert.match(xmlText(put.xml, 'Message'), /overlap/);
  });

  it('PutAndGet_OnMissingBucket_ReturnNoSuchBucket', async () => {
    const { queue } = await bucketAndQueue();
    const put = await s3.putNotification('no-such-bucket', notificationXml([{ id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:*'] }]));
    assert.equal(put.status, 404);
    assert.equal(xmlText(put.xml, 'Code'), 'NoSuchBucket');
    assert.equal((await s3.getNotification('no-such-bucket')).status, 404);
    const list = await s3.request('GET', '/');
    assert.doesNotMatch(list.text, /no-such-bucket/, 'PUT ?notification must not create the bucket');
  });

  it('DeleteBucket_ForgetsItsConfiguration', async () => {
    const { bucket, queue } = await bucketAndQueue();
    await s3.putNotification(bucket, notificationXml([{ id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:*'] }]));
    assert.equal((await s3.request('DELETE', `/${bucket}`)).status, 204);
    await s3.createBucket(bucket);
    assert.deepEqual((await s3.getNotification(bucket)).xml.children, []);
  });
});
