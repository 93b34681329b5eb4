// The opt-in request log (IMAGEPATTERN_REQUEST_LOG) the least-privilege check reads: who signed, which service,
// what was asked of which resource, and the answer.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signer } from '../emulators/request-recorder.mjs';
import { createActiveTable, dynamoClient, S3, Sqs } from '../test-support/clients.mjs';
import { startStackProcess } from '../test-support/stack-process.mjs';

const folder = mkdtempSync(join(tmpdir(), 'request-log-'));
const log = join(folder, 'requests.jsonl');
let stack;

const lines = () => readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

before(async () => {
  process.env.IMAGEPATTERN_REQUEST_LOG = log; // the child stack inherits it
  stack = await startStackProcess();
  delete process.env.IMAGEPATTERN_REQUEST_LOG;
});

after(async () => {
  await stack?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('request recorder', () => {
  it('Signer_ReadsKeyIdAndServiceOfTheCredential', () => {
    const headers = { authorization: 'AWS4-HMAC-SHA256 Credential=thumbnails-function/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' };
    assert.deepEqual(signer(headers), { accessKeyId: 'thumbnails-function', service: 's3' });
    assert.deepEqual(signer({}, { 'X-Amz-Credential': 'k/20261205/us-east-1/s3/aws4_request' }), { accessKeyId: 'k', service: 's3' });
    assert.deepEqual(signer({}), { accessKeyId: null, service: null });
  });

  it('S3SqsAndDynamoRequests_AreEachOneLineWithTheirResourceAndStatus', async () => {
    const s3 = new S3(stack.ready.s3);
    await s3.createBucket('recorded');
    const missing = await s3.request('GET', '/recorded/absent.jpg', {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=thumbnails-function/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
    });
    assert.equal(missing.status, 404);
    await new Sqs(stack.ready.sqs).call('CreateQueue', { QueueName: 'recorded-queue' });
    await createActiveTable(dynamoClient(stack.ready.dynamodb), 'recorded-table');

    const recorded = lines();
    const get = recorded.find((line) => line.method === 'GET' && line.url === '/recorded/absent.jpg');
    assert.deepEqual(
      { accessKeyId: get.accessKeyId, service: get.service, status: get.status },
      { accessKeyId: 'thumbnails-function', service: 's3', status: 404 },
    );
    const queue = recorded.find((line) => line.target === 'AmazonSQS.CreateQueue');
    assert.deepEqual({ service: queue.service, params: queue.params }, { service: 'sqs', params: { QueueName: 'recorded-queue' } });
    const table = recorded.find((line) => line.target === 'DynamoDB_20120810.CreateTable');
    assert.deepEqual({ service: table.service, params: table.params, status: table.status }, { service: 'dynamodb', params: { TableName: 'recorded-table' }, status: 200 });
  });
});
