// Thin unsigned HTTP clients for S3 (REST/XML), SQS (JSON protocol), SNS (query protocol) and
// the local event bus (EventBridge JSON 1.1 protocol). fauxqs does not verify signatures, so
// requests carry only what the operations need.

import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseXml } from '../emulators/s3-sqs-sns/xml.mjs';

export function keyPath(bucket, key = '') {
  return `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export class S3 {
  constructor(endpoint) {
    this.endpoint = endpoint;
  }

  /** Returns { status, headers, text, xml } where xml is the parsed body when there is one. */
  async request(method, path, { body, headers = {} } = {}) {
    const response = await fetch(`${this.endpoint}${path}`, { method, body, headers });
    const text = await response.text();
    let xml;
    if (text.startsWith('<')) xml = parseXml(text);
    return { status: response.status, headers: response.headers, text, xml };
  }

  createBucket(bucket) {
    return this.request('PUT', `/${bucket}`);
  }

  putObject(bucket, key, body, headers = {}) {
    return this.request('PUT', keyPath(bucket, key), { body, headers });
  }

  copyObject(bucket, key, sourceBucket, sourceKey) {
    return this.request('PUT', keyPath(bucket, key), {
      headers: { 'x-amz-copy-source': encodeURIComponent(`${sourceBucket}/${sourceKey}`) },
    });
  }

  putNotification(bucket, xml) {
    return this.request('PUT', `/${bucket}?notification`, { body: xml, headers: { 'content-type': 'application/xml' } });
  }

  getNotification(bucket) {
    return this.request('GET', `/${bucket}?notification`);
  }
}

export class Sqs {
  constructor(endpoint, region = 'us-east-1') {
    this.endpoint = endpoint;
    this.region = region;
  }

  async call(action, payload) {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
        authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${this.region}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(payload),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`${action} failed: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  /** Creates the queue; returns { url, arn }. */
  async createQueue(name) {
    const { QueueUrl } = await this.call('CreateQueue', { QueueName: name });
    return { url: QueueUrl, arn: `arn:aws:sqs:${this.region}:000000000000:${name}` };
  }

  /** Receives and deletes up to 10 messages; returns their parsed bodies. */
  async drain(url) {
    const { Messages = [] } = await this.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 });
    for (const message of Messages) await this.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    return Messages.map((m) => JSON.parse(m.Body));
  }
}

export class Sns {
  constructor(endpoint, region = 'us-east-1') {
    this.endpoint = endpoint;
    this.region = region;
  }

  /** Calls an SNS action (query protocol); returns the parsed XML response, throws on an error status. */
  async call(action, params = {}) {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${this.region}/sns/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: new URLSearchParams({ Action: action, Version: '2010-03-31', ...params }).toString(),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${action} failed: ${response.status} ${text}`);
    return parseXml(text);
  }

  /** Creates the topic; returns its ARN. */
  async createTopic(name) {
    return xmlText(await this.call('CreateTopic', { Name: name }), 'TopicArn');
  }

  /** Subscribes a queue (enveloped delivery unless raw); returns the subscription ARN. */
  async subscribeQueue(topicArn, queueArn, { raw = false } = {}) {
    const attributes = raw ? { 'Attributes.entry.1.key': 'RawMessageDelivery', 'Attributes.entry.1.value': 'true' } : {};
    return xmlText(await this.call('Subscribe', { TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, ...attributes }), 'SubscriptionArn');
  }
}

export class EventBridge {
  constructor(endpoint) {
    this.endpoint = endpoint;
  }

  /** Calls an EventBridge action; returns { status, body } without throwing on an error status. */
  async call(action, payload = {}) {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${action}` },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: await response.json() };
  }

  /** PutRule then PutTargets with one SQS target per queue ARN; returns the rule ARN. */
  async ruleToQueues(name, pattern, queueArns) {
    const rule = await this.call('PutRule', { Name: name, EventPattern: JSON.stringify(pattern) });
    if (rule.status !== 200) throw new Error(`PutRule failed: ${JSON.stringify(rule.body)}`);
    const targets = await this.call('PutTargets', { Rule: name, Targets: queueArns.map((arn, i) => ({ Id: `target-${i + 1}`, Arn: arn })) });
    if (targets.status !== 200) throw new Error(`PutTargets failed: ${JSON.stringify(targets.body)}`);
    return rule.body.RuleArn;
  }
}

/**
 * A NotificationConfiguration body: one QueueConfiguration per entry, or a TopicConfiguration
 * for an entry with `topic: true`; `eventBridge` adds the EventBridgeConfiguration element.
 */
export function notificationXml(configurations, { eventBridge = false } = {}) {
  const queue = configurations.map(({ id, arn, events, prefix, suffix, topic = false }) => {
    const rules = [
      prefix !== undefined ? `<FilterRule><Name>prefix</Name><Value>${prefix}</Value></FilterRule>` : '',
      suffix !== undefined ? `<FilterRule><Name>suffix</Name><Value>${suffix}</Value></FilterRule>` : '',
    ].join('');
    const [element, arnElement] = topic ? ['TopicConfiguration', 'Topic'] : ['QueueConfiguration', 'Queue'];
    return `<${element}>${id ? `<Id>${id}</Id>` : ''}<${arnElement}>${arn}</${arnElement}>${events
      .map((e) => `<Event>${e}</Event>`)
      .join('')}${rules ? `<Filter><S3Key>${rules}</S3Key></Filter>` : ''}</${element}>`;
  });
  const bridge = eventBridge ? '<EventBridgeConfiguration></EventBridgeConfiguration>' : '';
  return `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${queue.join('')}${bridge}</NotificationConfiguration>`;
}

/** Text of the first descendant element with that name. */
export function xmlText(element, name) {
  if (element === undefined) return undefined;
  if (element.name === name) return element.text;
  for (const c of element.children) {
    const found = xmlText(c, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Creates a table keyed by a string `pk` and returns once DescribeTable says ACTIVE: dynalite
 * answers CreateTable while the table is still CREATING (even with createTableMs 0) and refuses
 * writes until its status write lands, which a loaded machine can delay.
 */
/** An SDK client for the stack's DynamoDB endpoint (dynalite checks that requests are signed, not by whom). */
export function dynamoClient(endpoint) {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

export async function createActiveTable(dynamo, TableName) {
  await dynamo.send(new CreateTableCommand({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  for (let attempt = 0; attempt < 5000; attempt++) {
    const described = await dynamo.send(new DescribeTableCommand({ TableName }));
    if (described.Table.TableStatus === 'ACTIVE') return TableName;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`table ${TableName} never became ACTIVE`);
}
