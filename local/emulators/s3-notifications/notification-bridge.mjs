// S3 event notifications for fauxqs, which stores objects but never notifies.
// Fastify hooks on the fauxqs app answer ?notification requests themselves (fauxqs
// would treat PUT as CreateBucket and GET as ListObjects) and, once a write has
// succeeded, deliver before the response leaves, so a client that sees 200 can already
// receive the message: an AWS-shaped record on every matching queue, the same record
// published to every matching SNS topic (fauxqs fans it out to the subscribed queues),
// and, for a bucket with EventBridge enabled, an `Object Created` event put on the local
// event bus. Delivery is synchronous on purpose: see fauxqs-internals.mjs.

import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID } from '../eventbridge/event-bus.mjs';
import {
  configurationMatches,
  notificationConfigurationXml,
  parseNotificationConfiguration,
  parseQueueArn,
  parseTopicArn,
} from './notification-config.mjs';
import { newRequestId, S3ApiError, sendS3Error } from '../s3-sqs-sns/s3-error.mjs';
import { eventBridgeObjectCreated, newHostId, objectCreatedRecord, Sequencer, testEvent } from './s3-event.mjs';

const OWNER_PRINCIPAL_ID = 'A000000000000LOCAL';
const EMPTY = Object.freeze({ destinations: [], eventBridge: false });
// The subject S3 gives every message it publishes to a topic.
const SNS_SUBJECT = 'Amazon S3 Notification';

/** Classifies a finished S3 request as an ObjectCreated event name, or undefined. */
function createdEventName(request) {
  const query = request.query ?? {};
  if (request.method === 'PUT' && !('uploadId' in query) && !('partNumber' in query)) {
    return request.headers['x-amz-copy-source'] ? 'ObjectCreated:Copy' : 'ObjectCreated:Put';
  }
  if (request.method === 'POST' && 'uploadId' in query) return 'ObjectCreated:CompleteMultipartUpload';
  return undefined;
}

function principalOf(request) {
  const match = /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '');
  return match ? `AWS:${match[1]}` : 'ANONYMOUS_PRINCIPAL';
}

function isS3Route(request) {
  const route = request.routeOptions.url;
  return route === '/:bucket' || route === '/:bucket/*';
}

export class NotificationBridge {
  #configurations = new Map(); // bucket -> { destinations: [{ id, kind, arn, events, prefix, suffix }], eventBridge }
  #sequencer = new Sequencer();

  /**
   * @param app              the fauxqs Fastify app (before listen)
   * @param options.stores   FauxqsStores the app was built with
   * @param options.region   region of the buckets; destination queues and topics must live there too
   * @param options.eventBus the local EventBus that buckets with EventBridge enabled send to
   * @param options.warn     sink for delivery problems (a queue deleted after configuration)
   */
  constructor(app, { stores, region, eventBus, warn = (line) => process.stderr.write(`${line}\n`) }) {
    this.app = app;
    this.stores = stores;
    this.region = region;
    this.eventBus = eventBus;
    this.warn = warn;
  }

  install() {
    this.app.addHook('preHandler', async (request, reply) => this.#preHandler(request, reply));
    this.app.addHook('onSend', (request, reply, payload, done) => {
      try {
        this.#afterWrite(request, reply);
        done(null, payload);
      } catch (error) {
        done(error);
      }
    });
  }

  /** Stored configuration of a bucket: { destinations, eventBridge } (nothing configured when none). */
  configurationOf(bucket) {
    return this.#configurations.get(bucket) ?? EMPTY;
  }

  #preHandler(request, reply) {
    if (!isS3Route(request)) return undefined;
    if ((request.params['*'] ?? '') !== '' || !('notification' in (request.query ?? {}))) return undefined;

    const bucket = request.params.bucket;
    const requestId = newRequestId();
    reply.header('x-amz-request-id', requestId);
    try {
      if (!this.stores.bucketExists(bucket)) {
        throw new S3ApiError(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);
      }
      if (request.method === 'GET') {
        const xml = notificationConfigurationXml(this.configurationOf(bucket));
        return reply.code(200).header('content-type', 'application/xml').send(xml);
      }
      if (request.method === 'PUT') {
        const skipValidation = String(request.headers['x-amz-skip-destination-validation']).toLowerCase() === 'true';
        this.#putConfiguration(bucket, request.body, requestId, skipValidation);
        return reply.code(200).send();
      }
      throw new S3ApiError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    } catch (error) {
      if (error instanceof S3ApiError) return sendS3Error(reply, error);
      throw error;
    }
  }

  #putConfiguration(bucket, rawBody, requestId, skipValidation) {
    const body = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : String(rawBody ?? '');
    const configuration = parseNotificationConfiguration(body);
    const destinations = [...new Map(configuration.destinations.map((c) => [c.arn, c.kind])).entries()].map(([arn, kind]) => ({ arn, kind }));

    // S3 checks every destination before storing anything and names each one that failed,
    // unless the caller set x-amz-skip-destination-validation.
    const unreachable = skipValidation ? [] : destinations.filter((d) => !this.#reachable(d));
    if (unreachable.length > 0) {
      throw new S3ApiError(
        400,
        'InvalidArgument',
        'Unable to validate the following destination configurations',
        unreachable.flatMap(({ arn, kind }, i) => [
          [`ArgumentName${i + 1}`, arn],
          [`ArgumentValue${i + 1}`, `The destination ${kind} does not exist, is FIFO, or is in another region`],
        ]),
      );
    }

    if (configuration.destinations.length === 0 && !configuration.eventBridge) this.#configurations.delete(bucket);
    else this.#configurations.set(bucket, configuration);

    // S3 sends its test event to queues and topics, never to EventBridge.
    const message = JSON.stringify(testEvent({ bucket, requestId, hostId: newHostId() }));
    for (const destination of destinations) {
      if (!this.#deliver(destination, message) && !skipValidation) this.warn(`notification bridge: could not send s3:TestEvent to ${destination.arn}`);
    }
  }

  #reachable({ arn, kind }) {
    if (kind === 'topic') {
      const parsed = parseTopicArn(arn);
      return parsed !== undefined && parsed.region === this.region && this.stores.topicExists(arn) && !this.stores.isFifoTopic(arn);
    }
    const parsed = parseQueueArn(arn);
    return parsed !== undefined && parsed.region === this.region && this.stores.queueExists(arn) && !this.stores.isFifo(arn);
  }

  #deliver({ arn, kind }, message) {
    return kind === 'topic' ? this.stores.publish(arn, message, SNS_SUBJECT) : this.stores.sendMessage(arn, message);
  }

  #afterWrite(request, reply) {
    if (!isS3Route(request)) return;
    const bucket = request.params.bucket;
    const key = request.params['*'] ?? '';

    if (key === '' && request.method === 'DELETE' && reply.statusCode === 204) {
      this.#configurations.delete(bucket); // a bucket created again later starts without one
      return;
    }
    if (key === '' || reply.statusCode !== 200) return;

    const eventName = createdEventName(request);
    if (eventName === undefined) return;
    const { destinations, eventBridge } = this.configurationOf(bucket);
    const matching = destinations.filter((c) => configurationMatches(c, `s3:${eventName}`, key));
    if (matching.length === 0 && !eventBridge) return;

    // onSend runs synchronously after fauxqs stored the object, so this is that object.
    const stored = this.stores.object(bucket, key);
    if (stored === undefined) return;

    const sequencer = this.#sequencer.next();
    const eventTime = new Date();
    const requestId = String(reply.getHeader('x-amz-request-id') ?? newRequestId());
    for (const configuration of matching) {
      const record = objectCreatedRecord({
        region: this.region,
        eventName,
        eventTime,
        principalId: principalOf(request),
        sourceIp: request.ip,
        requestId,
        hostId: String(reply.getHeader('x-amz-id-2') ?? newHostId()),
        configurationId: configuration.id,
        bucket,
        ownerPrincipalId: OWNER_PRINCIPAL_ID,
        key,
        size: stored.size,
        eTag: stored.eTag,
        sequencer,
      });
      if (!this.#deliver(configuration, JSON.stringify({ Records: [record] }))) {
        this.warn(`notification bridge: dropped ${eventName} for ${bucket}/${key}: ${configuration.kind} ${configuration.arn} is gone`);
      }
    }

    if (eventBridge) {
      this.eventBus.put(eventBridgeObjectCreated({
        id: randomUUID(),
        region: this.region,
        account: ACCOUNT_ID,
        eventName,
        eventTime,
        requester: ACCOUNT_ID,
        sourceIp: request.ip,
        requestId,
        bucket,
        key,
        size: stored.size,
        eTag: stored.eTag,
        sequencer,
      }));
    }
  }
}
