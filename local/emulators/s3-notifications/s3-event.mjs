// Message bodies S3 sends to a queue: the s3:TestEvent written when a configuration is
// saved, and event records (eventVersion 2.1) for created objects.

import { randomBytes } from 'node:crypto';

// Characters S3 leaves as they are in an event's object key: form encoding's unreserved
// set, plus '/', which S3 keeps literal between key segments.
const KEPT = /[A-Za-z0-9.\-*_/]/;

/**
 * Encodes a key the way S3 writes it into event records: application/x-www-form-urlencoded
 * (space as '+', every other byte outside the kept set as %XX of its UTF-8 encoding).
 */
export function encodeEventKey(key) {
  let out = '';
  for (const ch of key) {
    if (ch === ' ') out += '+';
    else if (KEPT.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Sequencers are hex strings that order events for one key. S3 only promises that a later
 * write to the same key gets a larger value (compared after left-padding); a process-wide
 * counter seeded from the clock keeps that promise across all keys and restarts.
 */
export class Sequencer {
  #last = 0n;

  next() {
    const now = BigInt(Date.now()) * 1_000_000n;
    this.#last = now > this.#last ? now : this.#last + 1n;
    return this.#last.toString(16).toUpperCase().padStart(18, '0');
  }
}

export function newHostId() {
  return randomBytes(48).toString('base64');
}

/** Body of the message S3 sends to each destination when a configuration is saved. */
export function testEvent({ bucket, requestId, hostId, time = new Date() }) {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: time.toISOString(),
    Bucket: bucket,
    RequestId: requestId,
    HostId: hostId,
  };
}

/**
 * One ObjectCreated record, field for field as S3 writes it. eventName has no 's3:'
 * prefix in records (configurations use the prefixed form).
 */
export function objectCreatedRecord({
  region,
  eventName,
  eventTime,
  principalId,
  sourceIp,
  requestId,
  hostId,
  configurationId,
  bucket,
  ownerPrincipalId,
  key,
  size,
  eTag,
  sequencer,
}) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: eventTime.toISOString(),
    eventName,
    userIdentity: { principalId },
    requestParameters: { sourceIPAddress: sourceIp },
    responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: ownerPrincipalId },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: {
        key: encodeEventKey(key),
        size,
        eTag: eTag.replaceAll('"', ''),
        sequencer,
      },
    },
  };
}

/** The `reason` S3 gives in an EventBridge `Object Created` event for each record event name. */
const EVENTBRIDGE_REASONS = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Post': 'POST Object',
  'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
};

/**
 * The EventBridge `Object Created` event S3 puts on the default bus, field for field. Unlike the
 * notification record, the key is the raw key (not URL-encoded), the ETag field is `etag`, and
 * `time` has whole seconds. `version-id` is absent: the local S3 has no versioning.
 */
export function eventBridgeObjectCreated({ id, region, account, eventName, eventTime, requester, sourceIp, requestId, bucket, key, size, eTag, sequencer }) {
  return {
    version: '0',
    id,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account,
    time: `${eventTime.toISOString().slice(0, 19)}Z`,
    region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size, etag: eTag.replaceAll('"', ''), sequencer },
      'request-id': requestId,
      requester,
      'source-ip-address': sourceIp,
      reason: EVENTBRIDGE_REASONS[eventName],
    },
  };
}
