// fauxqs' stores and its SendMessage action, which its package entry does not export.
// The bridge must deliver synchronously inside the S3 request that triggered it: an async
// step in a Fastify onSend hook lets fauxqs' async route handlers resolve before the reply
// ends, and Fastify then sends (and runs onSend) a second time. Owning the stores makes
// queue look-ups, object look-ups and enqueueing plain function calls.
// These paths are internal to fauxqs, hence the exact version check.

import { readFileSync } from 'node:fs';

const EXPECTED_VERSION = '1.9.2';
const entry = new URL(import.meta.resolve('fauxqs'));
const manifest = JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8'));
if (manifest.version !== EXPECTED_VERSION) {
  throw new Error(`local/lib/fauxqs-internals.mjs is written against fauxqs ${EXPECTED_VERSION}, found ${manifest.version}`);
}

const internal = (path) => import(new URL(path, entry).href);

export const { SqsStore } = await internal('./sqs/sqsStore.js');
export const { SnsStore } = await internal('./sns/snsStore.js');
export const { S3Store } = await internal('./s3/s3Store.js');
const { sendMessage } = await internal('./sqs/actions/sendMessage.js');
const { publish } = await internal('./sns/actions/publish.js');
const { SqsError, SnsError } = await internal('./common/errors.js');

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
   * Publishes through fauxqs' own Publish, so every confirmed SQS subscription receives the message
   * as SNS would deliver it: in the SNS envelope, or the bare message with RawMessageDelivery, and
   * only where the subscription's filter policy lets it through. False when the topic is gone.
   */
  publish(topicArn, message, subject) {
    if (!this.topicExists(topicArn)) return false;
    try {
      publish({ TopicArn: topicArn, Message: message, Subject: subject }, this.snsStore, this.sqsStore);
      return true;
    } catch (error) {
      if (error instanceof SnsError) return false;
      throw error;
    }
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
