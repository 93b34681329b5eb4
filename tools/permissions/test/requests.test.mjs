// The request log -> IAM request mapping, and the policy document -> policy JSON conversion.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { documentToPolicy } from '../lib/render.mjs';
import { parseAccessKeyId, readRequests } from '../lib/requests.mjs';

const folder = mkdtempSync(join(tmpdir(), 'permissions-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function rowsOf(lines) {
  const path = join(folder, `log-${Math.random()}.jsonl`);
  writeFileSync(path, lines.map((l) => JSON.stringify({ target: null, copySource: null, params: {}, status: 200, ...l })).join('\n'));
  return readRequests(path);
}

describe('requests', () => {
  it('AccessKeyId_NamesLayoutTriggerConsumerAndProcess_ToolingKeysAreNotParsed', () => {
    assert.deepEqual(parseAccessKeyId('trig-sns-fanout.sns-fanout.metadata.poller'), { name: 'trig-sns-fanout', trigger: 'sns-fanout', consumer: 'metadata', process: 'poller' });
    assert.equal(parseAccessKeyId('local'), undefined);
    assert.equal(parseAccessKeyId('a.b.c.d'), undefined);
  });

  it('S3Requests_MapToTheActionsS3Authorises_WithTheLayoutNameSwappedForThePrefix', () => {
    const key = 'soak.s3-notification.thumbnails.function';
    const { rows, tooling } = rowsOf([
      { accessKeyId: key, service: 's3', method: 'GET', url: '/soak-source-000000000000-us-east-1/a%20b/c.jpg?x-id=GetObject' },
      { accessKeyId: key, service: 's3', method: 'GET', url: '/soak-source-000000000000-us-east-1/c.jpg?versionId=3' },
      { accessKeyId: key, service: 's3', method: 'PUT', url: '/soak-output-000000000000-us-east-1/c.jpg/128x128.webp' },
      { accessKeyId: key, service: 's3', method: 'GET', url: '/soak-source-000000000000-us-east-1?list-type=2&prefix=up%2F' },
      { accessKeyId: key, service: 's3', method: 'GET', url: '/soak-source-000000000000-us-east-1/../../etc/passwd.jpg' },
      { accessKeyId: 'local', service: 's3', method: 'PUT', url: '/soak-source-000000000000-us-east-1/c.jpg' },
    ]);
    assert.equal(tooling, 1);
    assert.deepEqual(rows.map((r) => [r.action, r.resource, r.context]), [
      ['s3:GetObject', 'arn:aws:s3:::imagepattern-source-000000000000-us-east-1/a b/c.jpg', {}],
      ['s3:GetObjectVersion', 'arn:aws:s3:::imagepattern-source-000000000000-us-east-1/c.jpg', {}],
      ['s3:PutObject', 'arn:aws:s3:::imagepattern-output-000000000000-us-east-1/c.jpg/128x128.webp', {}],
      ['s3:ListBucket', 'arn:aws:s3:::imagepattern-source-000000000000-us-east-1', { 's3:prefix': 'up/' }],
      ['s3:GetObject', 'arn:aws:s3:::imagepattern-source-000000000000-us-east-1/../../etc/passwd.jpg', {}],
    ]);
  });

  it('SqsAndDynamoDbRequests_MapFromTheTarget_BatchCallsAsTheirSingleAction', () => {
    const { rows } = rowsOf([
      { accessKeyId: 'iso-eventbridge.eventbridge.metadata.poller', service: 'sqs', method: 'POST', url: '/', target: 'AmazonSQS.DeleteMessageBatch', params: { QueueUrl: 'http://sqs.us-east-1.localhost:4566/000000000000/iso-eventbridge-metadata' } },
      { accessKeyId: 'iso-eventbridge.eventbridge.metadata.function', service: 'dynamodb', method: 'POST', url: '/', target: 'DynamoDB_20120810.UpdateItem', params: { TableName: 'iso-eventbridge-metadata' }, status: 400 },
    ]);
    assert.deepEqual(rows.map((r) => [r.consumer, r.action, r.resource, r.status]), [
      ['metadata', 'sqs:DeleteMessage', 'arn:aws:sqs:us-east-1:000000000000:imagepattern-metadata', 200],
      ['metadata', 'dynamodb:UpdateItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/imagepattern-metadata', 400],
    ]);
  });

  it('PolicyDocument_BecomesPolicyJson_WithSourceDocumentsFirst', () => {
    const policy = documentToPolicy({
      source_policy_documents: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Tls', Effect: 'Deny', Principal: '*', Action: ['sqs:*'], Resource: ['q'] }] })],
      statement: [{ sid: 'Send', effect: 'Allow', actions: ['sqs:SendMessage'], resources: ['q'], principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }], not_principals: [], condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: ['b'] }] }],
    });
    assert.deepEqual(policy.Statement.map((s) => s.Sid), ['Tls', 'Send']);
    assert.deepEqual(policy.Statement[1], { Effect: 'Allow', Sid: 'Send', Principal: { Service: ['s3.amazonaws.com'] }, Action: ['sqs:SendMessage'], Resource: ['q'], Condition: { ArnEquals: { 'aws:SourceArn': ['b'] } } });
  });
});
