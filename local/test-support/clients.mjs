// Thin unsigned HTTP clients for S3 (REST/XML) and SQS (JSON protocol). fauxqs does not
// verify signatures, so requests carry only what the operations need.

import { parseXml } from '../lib/xml.mjs';

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

/** A NotificationConfiguration body with one QueueConfiguration per entry. */
export function notificationXml(configurations) {
  const queue = configurations.map(({ id, arn, events, prefix, suffix }) => {
    const rules = [
      prefix !== undefined ? `<FilterRule><Name>prefix</Name><Value>${prefix}</Value></FilterRule>` : '',
      suffix !== undefined ? `<FilterRule><Name>suffix</Name><Value>${suffix}</Value></FilterRule>` : '',
    ].join('');
    return `<QueueConfiguration>${id ? `<Id>${id}</Id>` : ''}<Queue>${arn}</Queue>${events
      .map((e) => `<Event>${e}</Event>`)
      .join('')}${rules ? `<Filter><S3Key>${rules}</S3Key></Filter>` : ''}</QueueConfiguration>`;
  });
  return `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${queue.join('')}</NotificationConfiguration>`;
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
