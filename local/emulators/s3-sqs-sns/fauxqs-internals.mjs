// fauxqs' stores and its SendMessage action, which its package entry does not export.
// The bridge must deliver synchronously inside the S3 request that triggered it: an async
// step in a Fastify onSend hook lets fauxqs' async route handlers resolve before the reply
// ends, and Fastify then sends (and runs onSend) a second time. Owning the stores makes
// queue look-ups, object look-ups and enqueueing plain function calls.
// These paths are internal to fauxqs, hence the exact version check.

import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const EXPECTED_VERSION = '1.9.2';
const entry = new URL(import.meta.resolve('fauxqs'));
const manifest = JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8'));
if (manifest.version !== EXPECTED_VERSION) {
  throw new Error(`local/emulators/s3-sqs-sns/fauxqs-internals.mjs is written against fauxqs ${EXPECTED_VERSION}, found ${manifest.version}`);
}

const internal = (path) => import(new URL(path, entry).href);

export const { SqsStore } = await internal('./sqs/sqsStore.js');
export const { SnsStore } = await internal('./sns/snsStore.js');
export const { S3Store } = await internal('./s3/s3Store.js');
const { sendMessage } = await internal('./sqs/actions/sendMessage.js');
const { matchesFilterPolicy, matchesFilterPolicyOnBody } = await internal('./sns/filter.js');
const { SqsError } = await internal('./common/errors.js');

/** Synchronous access to queues, topics and objects for the notification bridge. */
export class FauxqsStores {
  constructor() {
    this.sqsStore = new SqsStore();
    this.snsStore = new SnsStore();
    this.s3Store = new S3Store();
  }

  /** The stores object buildApp accepts. */
  get forBuildApp() {
    return { sqsStore: this.sqsStore, snsStore: this.snsStore, s3Store: this.s3Store };
  }

  queueExists(arn) {
    return this.sqsStore.getQueueByArn(arn) !== undefined;
  }

  isFifo(arn) {
    return this.sqsStore.getQueueByArn(arn)?.isFifo() === true;
  }

  /** Sends through fauxqs' own SendMessage (size and character checks included); false if refused. */
  sendMessage(arn, body) {
    const queue = this.sqsStore.getQueueByArn(arn);
    if (queue === undefined) return false;
    try {
      sendMessage({ QueueUrl: queue.url, MessageBody: body }, this.sqsStore);
      return true;
    } catch (error) {
      if (error instanceof SqsError) return false;
      throw error;
    }
  }

  topicExists(arn) {
    return this.snsStore.getTopic(arn) !== undefined;
  }

  isFifoTopic(arn) {
    return this.snsStore.getTopic(arn)?.attributes?.FifoTopic === 'true';
  }

  /**
   * Publishes a message without attributes to a standard topic, as SNS delivers it to each confirmed
   * SQS subscription whose filter policy lets it through: the bare message with RawMessageDelivery,
   * otherwise in the SNS envelope. The envelope is built here rather than by fauxqs' Publish, which
   * always adds an empty MessageAttributes and names us-east-1 in its URLs; SNS omits the first
   * when there are none and uses the topic's region. Signature is random base64: not verifiable.
   * Returns false when the topic is gone; a subscribed queue that is gone is skipped, as SNS does.
   */
  publish(topicArn, message, subject) {
    const topic = this.snsStore.getTopic(topicArn);
    if (topic === undefined) return false;
    const region = topicArn.split(':')[3];
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    for (const subscriptionArn of topic.subscriptionArns) {
      const subscription = this.snsStore.getSubscription(subscriptionArn);
      if (subscription === undefined || !subscription.confirmed || subscription.protocol !== 'sqs') continue;
      if (!passesFilterPolicy(subscription.attributes, message)) continue;
      const body = subscription.attributes.RawMessageDelivery === 'true'
        ? message
        : JSON.stringify({
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: topicArn,
            ...(subject === undefined ? {} : { Subject: subject }),
            Message: message,
            Timestamp: timestamp,
            SignatureVersion: '1',
            Signature: randomBytes(256).toString('base64'),
            SigningCertURL: `https://sns.${region}.amazonaws.com/SimpleNotificationService-${randomBytes(16).toString('hex')}.pem`,
            UnsubscribeURL: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription.arn}`,
          });
      this.sendMessage(subscription.endpoint, body);
    }
    return true;
  }

  bucketExists(bucket) {
    return this.s3Store.hasBucket(bucket);
  }

  /** { size, eTag } of a stored object, or undefined. Reads without fauxqs' spy side effects. */
  object(bucket, key) {
    const stored = this.s3Store.buckets.get(bucket)?.get(key);
    return stored === undefined ? undefined : { size: stored.contentLength, eTag: stored.etag };
  }
}

/**
 * A subscription's filter policy, applied with fauxqs' own matcher. S3 publishes no message attributes,
 * so an attribute-scoped policy sees none. A policy that does not parse lets the message through, as
 * fauxqs' Publish does (SetSubscriptionAttributes is where it should have been refused).
 */
function passesFilterPolicy(attributes, message) {
  if (!attributes.FilterPolicy) return true;
  let policy;
  try {
    policy = JSON.parse(attributes.FilterPolicy);
  } catch {
    return true;
  }
  return attributes.FilterPolicyScope === 'MessageBody' ? matchesFilterPolicyOnBody(policy, message) : matchesFilterPolicy(policy, {});
}
