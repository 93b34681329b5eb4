// The stack as a process: ready line, loopback-only ports, flags, state, shutdown.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createActiveTable, dynamoClient, notificationXml, S3, Sqs } from '../test-support/clients.mjs';
import { STACK_SCRIPT, startStackProcess } from '../test-support/stack-process.mjs';

const portOf = (url) => Number(new URL(url).port);

/** Local addresses (as dotted IPv4 or 'ipv6') listening on a TCP port, from /proc/net. */
function listenersOn(port) {
  const found = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== '0A') continue; // 0A = LISTEN
      const [address, hexPort] = fields[1].split(':');
      if (parseInt(hexPort, 16) !== port) continue;
      found.push(address.length === 8 ? Buffer.from(address, 'hex').reverse().join('.') : 'ipv6');
    }
  }
  return found;
}

async function runToExit(args, stdin = 'ignore') {
  const child = spawn(process.execPath, [STACK_SCRIPT, ...args], { stdio: [stdin, 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const [code] = await once(child, 'exit');
  return { code, stdout };
}

describe('stack process', () => {
  it('ReadyLine_ListsLoopbackEndpoints_ThenSigtermStopsWithZero', async () => {
    const stack = await startStackProcess();
    try {
      const { ready } = stack;
      assert.deepEqual(Object.keys(ready), ['ready', 's3', 'sqs', 'sns', 'events', 'dynamodb', 'region', 'state', 'pid']);
      assert.match(ready.s3, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(ready.sqs, ready.s3);
      assert.equal(ready.sns, ready.s3);
      assert.equal(ready.events, ready.s3);
      assert.match(ready.dynamodb, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(portOf(ready.dynamodb), portOf(ready.s3));
      assert.equal(ready.region, 'us-east-1');
      assert.equal(ready.state, null);
      assert.equal(ready.pid, stack.child.pid);
      assert.deepEqual(listenersOn(portOf(ready.s3)), ['127.0.0.1']);
      assert.deepEqual(listenersOn(portOf(ready.dynamodb)), ['127.0.0.1']);
      assert.equal((await fetch(`${ready.s3}/health`)).status, 200);
      assert.equal((await fetch(ready.dynamodb)).status, 200);

      const taken = await runToExit(['--port', String(portOf(ready.s3)), '--dynamo-port', '0']);
      assert.equal(taken.code, 1, 'a second stack on a taken port must fail');
      const line = JSON.parse(taken.stdout.trim());
      assert.equal(line.ready, false);
      assert.match(line.error, /EADDRINUSE/);
    } finally {
      assert.equal(await stack.stop(), 0);
    }
  });

  it('ExitOnStdinClose_StopsWhenParentClosesStdin', async () => {
    const stack = await startStackProcess(['--port', '0', '--dynamo-port', '0', '--exit-on-stdin-close']);
    const exited = once(stack.child, 'exit');
    stack.child.stdin.end();
    const [code] = await exited;
    assert.equal(code, 0);
  });

  it('Region_AppearsInEventsAndBucketLocation', async () => {
    const stack = await startStackProcess(['--port', '0', '--dynamo-port', '0', '--region', 'eu-west-1']);
    try {
      const s3 = new S3(stack.ready.s3);
      const sqs = new Sqs(stack.ready.sqs, 'eu-west-1');
      await s3.createBucket('regional');
      const queue = await sqs.createQueue('regional-events');
      assert.equal((await s3.putNotification('regional', notificationXml([{ id: 'a', arn: queue.arn, events: ['s3:ObjectCreated:*'] }]))).status, 200);
      await sqs.drain(queue.url);
      await s3.putObject('regional', 'a.jpg', 'x');
      const [message] = await sqs.drain(queue.url);
      assert.equal(message.Records[0].awsRegion, 'eu-west-1');
      assert.equal((await s3.request('GET', '/regional?location')).xml.text, 'eu-west-1');
    } finally {
      await stack.stop();
    }
  });

  it('State_KeepsDynamoDbDataAndTtlAcrossRestarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imagepattern-stack-'));
    try {
      const args = ['--port', '0', '--dynamo-port', '0', '--state', dir];
      const first = await startStackProcess(args);
      assert.equal(first.ready.state, dir);
      const rival = await runToExit(args);
      assert.equal(rival.code, 1, 'a second stack must not share the state directory');
      assert.match(JSON.parse(rival.stdout.trim()).error, /in use/);
      let dynamo = dynamoClient(first.ready.dynamodb);
      await createActiveTable(dynamo, 'kept');
      await dynamo.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
      await dynamo.send(new UpdateTimeToLiveCommand({ TableName: 'kept', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } }));
      dynamo.destroy();
      assert.equal(await first.stop(), 0);

      const second = await startStackProcess(args);
      try {
        dynamo = dynamoClient(second.ready.dynamodb);
        const got = await dynamo.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'a' } } }));
        assert.deepEqual(got.Item, { pk: { S: 'a' }, v: { N: '1' } });
        const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: 'kept' }));
        assert.equal(ttl.TimeToLiveDescription.AttributeName, 'expires_at');
      } finally {
        dynamo.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('UnknownFlag_ExitsWithUsageError', async () => {
    const result = await runToExit(['--bogus']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
  });
});
