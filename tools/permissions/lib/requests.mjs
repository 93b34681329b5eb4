// Turns the emulators' request log (local/emulators/request-recorder.mjs) into IAM requests: who (the consumer's role,
// from the access key id the local tooling gives each process: <name>.<trigger>.<consumer>.<function|poller>),
// which IAM action (S3 REST -> s3:GetObject/GetObjectVersion/PutObject/..., SQS/DynamoDB from X-Amz-Target), on
// which resource ARN, with which context keys. Resource names carry the test's layout name (trig-sns-fanout-tasks);
// it is swapped for the rendered stack's name_prefix, as LocalLayout derives every name from it.

import { readFileSync } from 'node:fs';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const NAME_PREFIX = 'imagepattern';

// Batch calls are authorised as the single action (AWS's SQS API reference says so for each).
const SQS_BATCH = { DeleteMessageBatch: 'DeleteMessage', ChangeMessageVisibilityBatch: 'ChangeMessageVisibility', SendMessageBatch: 'SendMessage' };

/** `<name>.<trigger>.<consumer>.<process>`, or undefined for the tooling's own keys (`local`, `test`). */
export function parseAccessKeyId(accessKeyId) {
  const parts = String(accessKeyId ?? '').split('.');
  if (parts.length !== 4 || !['function', 'poller'].includes(parts[3])) return undefined;
  const [name, trigger, consumer, process] = parts;
  return { name, trigger, consumer, process };
}

const renamed = (resourceName, name) => (resourceName.startsWith(`${name}-`) ? `${NAME_PREFIX}-${resourceName.slice(name.length + 1)}` : resourceName);

function s3Request(line, name) {
  // Split by hand: URL() would resolve dot segments, and `../` is a legal part of a key.
  const [path, search = ''] = line.url.split(/\?(.*)/s);
  const url = { searchParams: new URLSearchParams(search), search: search === '' ? '' : `?${search}` };
  const [, bucketPart = '', ...keyParts] = path.split('/');
  const bucket = renamed(decodeURIComponent(bucketPart), name);
  const key = keyParts.map(decodeURIComponent).join('/');
  const versioned = url.searchParams.has('versionId');
  const context = {};
  let action;
  let resource = `arn:aws:s3:::${bucket}/${key}`;
  if (key === '') {
    resource = `arn:aws:s3:::${bucket}`;
    if (line.method === 'GET' && [...url.searchParams.keys()].every((k) => ['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'marker', 'x-id'].includes(k))) {
      action = 's3:ListBucket';
      if (url.searchParams.has('prefix')) context['s3:prefix'] = url.searchParams.get('prefix');
    } else {
      action = { PUT: 's3:CreateBucket', DELETE: 's3:DeleteBucket', HEAD: 's3:ListBucket' }[line.method] ?? `s3:(${line.method} ${url.search || '/'})`;
    }
  } else if (line.method === 'GET' || line.method === 'HEAD') {
    action = versioned ? 's3:GetObjectVersion' : 's3:GetObject';
  } else if (line.method === 'PUT' || line.method === 'POST') {
    action = 's3:PutObject';
  } else if (line.method === 'DELETE') {
    action = versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
  } else {
    action = `s3:(${line.method})`;
  }
  return { action, resource, context };
}

function jsonTargetRequest(line, name) {
  const operation = String(line.target ?? '').split('.')[1] ?? '(no target)';
  if (line.service === 'sqs') {
    const queueName = renamed(String(line.params.QueueUrl ?? line.params.QueueName ?? '').split('/').pop(), name);
    return { action: `sqs:${SQS_BATCH[operation] ?? operation}`, resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`, context: {} };
  }
  if (line.service === 'dynamodb') {
    return { action: `dynamodb:${operation}`, resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${renamed(String(line.params.TableName ?? ''), name)}`, context: {} };
  }
  return { action: `${line.service}:${operation}`, resource: '*', context: {} };
}

/**
 * The evaluated rows: one per distinct (trigger, consumer, action, resource, status), with how often and by which
 * process and test layout it was seen. Lines signed by the tooling's own keys are counted, not evaluated.
 */
export function readRequests(path) {
  const rows = new Map();
  let tooling = 0;
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text);
    const who = parseAccessKeyId(line.accessKeyId);
    if (who === undefined) {
      tooling += 1;
      continue;
    }
    const request = line.service === 's3' ? s3Request(line, who.name) : jsonTargetRequest(line, who.name);
    const id = [who.trigger, who.consumer, request.action, request.resource, line.status, JSON.stringify(request.context)].join(' ');
    const row = rows.get(id) ?? { trigger: who.trigger, consumer: who.consumer, ...request, status: line.status, count: 0, processes: new Set(), layouts: new Set() };
    row.count += 1;
    row.processes.add(who.process);
    row.layouts.add(who.name);
    rows.set(id, row);
  }
  return { rows: [...rows.values()], tooling };
}
