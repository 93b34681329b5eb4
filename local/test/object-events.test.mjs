// Records the bridge sends after PutObject, CopyObject and CompleteMultipartUpload.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { keyPath, notificationXml, S3, Sqs, xmlText } from '../test-support/clients.mjs';
import { startStackProcess } from '../test-support/stack-process.mjs';

let stack;
let s3;
let sqs;
let counter = 0;

const md5 = (bytes) => createHash('md5').update(bytes).digest('hex');

/** A bucket with one queue configuration; the test event is already drained. */
async function configured(configuration) {
  counter += 1;
  const bucket = `evt-bucket-${counter}`;
  await s3.createBucket(bucket);
  const queue = await sqs.createQueue(`evt-queue-${counter}`);
  const put = await s3.putNotification(bucket, notificationXml([{ id: `cfg-${counter}`, arn: queue.arn, ...configuration }]));
  assert.equal(put.status, 200, put.text);
  assert.equal((await sqs.drain(queue.url))[0].Event, 's3:TestEvent');
  return { bucket, queue, configurationId: `cfg-${counter}` };
}

async function onlyRecord(queue) {
  const messages = await sqs.drain(queue.url);
  assert.equal(messages.length, 1, JSON.stringify(messages));
  assert.equal(messages[0].Records.length, 1);
  return messages[0].Records[0];
}

before(async () => {
  stack = await startStackProcess();
  s3 = new S3(stack.ready.s3);
  sqs = new Sqs(stack.ready.sqs);
});

after(async () => {
  await stack?.stop();
});

describe('object created records', () => {
  it('PutObject_WithAwkwardKey_SendsRecordShapedLikeS3', async () => {
    const { bucket, queue, configurationId } = await configured({ events: ['s3:ObjectCreated:*'], prefix: 'uploads/' });
    const key = 'uploads/2024 trip/a+b (1) é ü 漢.jpg';
    const body = randomBytes(1234);
    const before = Date.now();
    const put = await s3.putObject(bucket, key, body);
    assert.equal(put.status, 200);

    const record = await onlyRecord(queue);
    assert.deepEqual(Object.keys(record), [
      'eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity',
      'requestParameters', 'responseElements', 's3',
    ]);
    assert.equal(record.eventVersion, '2.1');
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.match(record.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(Date.parse(record.eventTime) >= before - 1000);
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.equal(typeof record.userIdentity.principalId, 'string');
    assert.equal(record.requestParameters.sourceIPAddress, '127.0.0.1');
    assert.equal(record.responseElements['x-amz-request-id'], put.headers.get('x-amz-request-id'));
    assert.equal(typeof record.responseElements['x-amz-id-2'], 'string');
    assert.equal(record.s3.s3SchemaVersion, '1.0');
    assert.equal(record.s3.configurationId, configurationId);
    assert.deepEqual(record.s3.bucket, {
      name: bucket,
      ownerIdentity: { principalId: record.s3.bucket.ownerIdentity.principalId },
      arn: `arn:aws:s3:::${bucket}`,
    });
    assert.deepEqual(Object.keys(record.s3.object), ['key', 'size', 'eTag', 'sequencer']);
    assert.equal(record.s3.object.key, 'uploads/2024+trip/a%2Bb+%281%29+%C3%A9+%C3%BC+%E6%BC%A2.jpg');
    assert.equal(decodeURIComponent(record.s3.object.key.replaceAll('+', ' ')), key, 'form-decoding gives the key back');
    assert.equal(record.s3.object.size, body.length);
    assert.equal(record.s3.object.eTag, md5(body));
    assert.match(record.s3.object.sequencer, /^[0-9A-F]+$/);
  });

  it('PutObject_SameKeyTwice_SequencerIncreases', async () => {
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:Put'] });
    await s3.putObject(bucket, 'k.jpg', 'one');
    const first = (await onlyRecord(queue)).s3.object.sequencer;
    await s3.putObject(bucket, 'k.jpg', 'two');
    const second = (await onlyRecord(queue)).s3.object.sequencer;
    const width = Math.max(first.length, second.length);
    assert.ok(second.padStart(width, '0') > first.padStart(width, '0'), `${second} should sort after ${first}`);
  });

  it('CopyObject_SendsCopyRecordWithSizeAndEtag', async () => {
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:Copy'] });
    const body = randomBytes(4321);
    await s3.putObject(bucket, 'src/orig.png', body);
    assert.deepEqual(await sqs.drain(queue.url), [], 'Put is not configured');

    const copy = await s3.copyObject(bucket, 'dst/copy of orig.png', bucket, 'src/orig.png');
    assert.equal(copy.status, 200, copy.text);
    const record = await onlyRecord(queue);
    assert.equal(record.eventName, 'ObjectCreated:Copy');
    assert.equal(record.s3.object.key, 'dst/copy+of+orig.png');
    assert.equal(record.s3.object.size, body.length);
    assert.equal(record.s3.object.eTag, md5(body));
  });

  it('CompleteMultipartUpload_SendsRecordWithMultipartEtag', async () => {
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:CompleteMultipartUpload'] });
    const key = 'big/video frame.tif';
    const started = await s3.request('POST', `${keyPath(bucket, key)}?uploads`);
    const uploadId = xmlText(started.xml, 'UploadId');
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(777)];
    const etags = [];
    for (const [index, part] of parts.entries()) {
      const uploaded = await s3.request('PUT', `${keyPath(bucket, key)}?partNumber=${index + 1}&uploadId=${uploadId}`, { body: part });
      assert.equal(uploaded.status, 200);
      etags.push(uploaded.headers.get('etag'));
    }
    assert.deepEqual(await sqs.drain(queue.url), [], 'parts alone send nothing');

    const completion = `<CompleteMultipartUpload>${etags
      .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
      .join('')}</CompleteMultipartUpload>`;
    const completed = await s3.request('POST', `${keyPath(bucket, key)}?uploadId=${uploadId}`, { body: completion });
    assert.equal(completed.status, 200, completed.text);

    const record = await onlyRecord(queue);
    const digests = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
    assert.equal(record.eventName, 'ObjectCreated:CompleteMultipartUpload');
    assert.equal(record.s3.object.key, 'big/video+frame.tif');
    assert.equal(record.s3.object.size, parts[0].length + parts[1].length);
    assert.equal(record.s3.object.eTag, `${md5(digests)}-2`);
  });

  it('PutObject_SuffixNotMatching_SendsNothing', async () => {
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.jpg' });
    await s3.putObject(bucket, 'in/photo.png', 'x');
    await s3.putObject(bucket, 'out/photo.jpg', 'x');
    assert.deepEqual(await sqs.drain(queue.url), []);
    await s3.putObject(bucket, 'in/photo.jpg', 'x');
    assert.equal((await onlyRecord(queue)).s3.object.key, 'in/photo.jpg');
  });

  it('PutObject_SuffixFilterIsCaseSensitive_SoTheMixedCaseExtensionIsMissed', async () => {
    // Why the stack's rule is prefix-only: a '.jpg' rule never fires for IMG_0001.Jpg on S3 either.
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:*'], suffix: '.jpg' });
    await s3.putObject(bucket, 'IMG_0001.Jpg', 'x');
    assert.deepEqual(await sqs.drain(queue.url), []);
  });

  it('PutObject_PrefixOnlyRule_RoutesEveryKeyUnderThePrefixWhateverItsExtension', async () => {
    // The rule the provisioner writes, as Terraform deploys it: the function decides what is an image.
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:*'], prefix: 'uploads/' });
    for (const key of ['uploads/cat.jpg', 'uploads/IMG_0001.Jpg', 'uploads/x.PnG', 'uploads/notes.txt', 'elsewhere/cat.jpg']) {
      await s3.putObject(bucket, key, 'x');
    }
    const keys = (await sqs.drain(queue.url)).map((m) => m.Records[0].s3.object.key).sort();
    assert.deepEqual(keys, ['uploads/IMG_0001.Jpg', 'uploads/cat.jpg', 'uploads/notes.txt', 'uploads/x.PnG']);
  });

  it('PutObject_OnlyTheMatchingConfigurationFires', async () => {
    counter += 1;
    const bucket = `evt-bucket-${counter}`;
    await s3.createBucket(bucket);
    const jpg = await sqs.createQueue(`evt-jpg-${counter}`);
    const png = await sqs.createQueue(`evt-png-${counter}`);
    await s3.putNotification(bucket, notificationXml([
      { id: 'jpg', arn: jpg.arn, events: ['s3:ObjectCreated:*'], suffix: '.jpg' },
      { id: 'png', arn: png.arn, events: ['s3:ObjectCreated:*'], suffix: '.png' },
    ]));
    await sqs.drain(jpg.url);
    await sqs.drain(png.url);
    await s3.putObject(bucket, 'a.png', 'x');
    assert.deepEqual(await sqs.drain(jpg.url), []);
    assert.equal((await onlyRecord(png)).s3.configurationId, 'png');
  });

  it('PutObject_Failing_SendsNothing', async () => {
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:*'] });
    const put = await s3.putObject(bucket, 'a.jpg', 'payload', { 'content-md5': createHash('md5').update('other').digest('base64') });
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'BadDigest');
    assert.equal((await s3.request('HEAD', keyPath(bucket, 'a.jpg'))).status, 404);
    assert.deepEqual(await sqs.drain(queue.url), []);
  });

  it('PutObject_WithoutConfiguration_SendsNothing', async () => {
    counter += 1;
    const bucket = `evt-bucket-${counter}`;
    await s3.createBucket(bucket);
    const queue = await sqs.createQueue(`evt-queue-${counter}`);
    await s3.putObject(bucket, 'a.jpg', 'x');
    assert.deepEqual(await sqs.drain(queue.url), []);
  });

  it('PutObject_AfterQueueDeleted_StillStoresTheObject', async () => {
    const { bucket, queue } = await configured({ events: ['s3:ObjectCreated:*'] });
    await sqs.call('DeleteQueue', { QueueUrl: queue.url });
    const put = await s3.putObject(bucket, 'a.jpg', 'x');
    assert.equal(put.status, 200);
    assert.equal((await s3.request('GET', keyPath(bucket, 'a.jpg'))).text, 'x');
  });
});
