// fauxqs (S3 + SQS on one port) embedded rather than started through its CLI, which
// binds every interface. Around it: a body limit large enough for real images, strict
// aws-chunked decoding, refusals for S3 sub-resources fauxqs would misroute, the
// notification bridge, and the local event bus (EventBridge rules and targets).

import { buildApp } from 'fauxqs';
import { EventBus } from '../eventbridge/event-bus.mjs';
import { FauxqsStores } from './fauxqs-internals.mjs';
import { NotificationBridge } from '../s3-notifications/notification-bridge.mjs';
import { RequestRecorder } from '../request-recorder.mjs';
import { S3ApiError, sendS3Error } from './s3-error.mjs';
import { normaliseUploadBody } from './upload-body.mjs';

// Sub-resources fauxqs 1.9.2 does not implement. Left alone, PUT ?versioning would be
// taken for CreateBucket, GET ?acl for ListObjects, PUT key?tagging would overwrite the
// object with the tagging XML: an explicit NotImplemented is safer than a wrong success.
const BUCKET_SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'cors', 'encryption', 'intelligent-tiering', 'inventory',
  'lifecycle', 'logging', 'metrics', 'object-lock', 'ownershipControls', 'policy', 'policyStatus',
  'publicAccessBlock', 'replication', 'requestPayment', 'tagging', 'versioning', 'versions', 'website',
];
const OBJECT_SUBRESOURCES = ['acl', 'attributes', 'legal-hold', 'restore', 'retention', 'select', 'tagging', 'torrent'];

function s3Target(request) {
  const route = request.routeOptions.url;
  if (route !== '/:bucket' && route !== '/:bucket/*') return undefined;
  return { bucket: request.params.bucket, key: request.params['*'] ?? '', query: request.query ?? {} };
}

function guardSubresources(request, reply, { region, stores }) {
  const target = s3Target(request);
  if (target === undefined) return undefined;
  const names = target.key === '' ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES;
  // GET /bucket?uploads lists multipart uploads; POST /bucket/key?uploads starts one.
  const listing = target.key === '' && request.method === 'GET' && 'uploads' in target.query;
  const unsupported = listing ? 'uploads' : names.find((name) => name in target.query);
  // fauxqs would store the (empty) request body as the part instead of copying a range.
  const partCopy = request.method === 'PUT' && 'uploadId' in target.query && request.headers['x-amz-copy-source'];
  if (partCopy) {
    return sendS3Error(reply, new S3ApiError(501, 'NotImplemented', 'UploadPartCopy is not implemented by the local S3 emulator'));
  }
  if (unsupported !== undefined) {
    return sendS3Error(reply, new S3ApiError(501, 'NotImplemented', `The ?${unsupported} sub-resource is not implemented by the local S3 emulator`));
  }
  if (target.key === '' && request.method === 'GET' && 'location' in target.query) {
    return locationReply(reply, target.bucket, { region, stores });
  }
  return undefined;
}

function locationReply(reply, bucket, { region, stores }) {
  if (!stores.bucketExists(bucket)) {
    return sendS3Error(reply, new S3ApiError(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]));
  }
  const constraint = region === 'us-east-1' ? '' : region; // S3 reports us-east-1 as an empty constraint
  return reply
    .code(200)
    .header('content-type', 'application/xml')
    .send(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${constraint}</LocationConstraint>`);
}

function normaliseUploads(request, reply) {
  const target = s3Target(request);
  if (target === undefined || target.key === '' || request.method !== 'PUT') return undefined;
  if (request.headers['x-amz-copy-source']) return undefined;
  try {
    normaliseUploadBody(request);
  } catch (error) {
    if (error instanceof S3ApiError) return sendS3Error(reply, error);
    throw error;
  }
  return undefined;
}

/**
 * Builds the app (not yet listening).
 * @param options.region          region reported in ARNs and events
 * @param options.maxObjectBytes  largest request body accepted (fauxqs' own limit is 11 MiB)
 */
export function createS3SqsApp({ region, maxObjectBytes }) {
  const stores = new FauxqsStores();
  const app = buildApp({ logger: false, defaultRegion: region, stores: stores.forBuildApp });

  // fauxqs registers its binary catch-all parser without a limit of its own, so the
  // server-wide 11 MiB applies; re-registering it with an explicit limit lifts that.
  app.removeContentTypeParser('*');
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxObjectBytes }, (_request, body, done) => done(null, body));

  const recorder = RequestRecorder.fromEnvironment();
  if (recorder !== undefined) {
    app.addHook('onResponse', async (request, reply) => {
      recorder.record({ method: request.method, url: request.url, headers: request.headers, query: request.query ?? {}, params: request.body, status: reply.statusCode });
    });
  }
  app.addHook('preHandler', async (request, reply) => guardSubresources(request, reply, { region, stores }));
  app.addHook('preHandler', async (request, reply) => normaliseUploads(request, reply));
  const warn = (line) => process.stderr.write(`${line}\n`);
  const eventBus = new EventBus({ stores, region, warn });
  eventBus.install(app);
  new NotificationBridge(app, { stores, region, eventBus, warn }).install();
  return app;
}

/** Starts the app on 127.0.0.1; port 0 picks a free one. Returns { app, port }. */
export async function startS3Sqs({ port, region, maxObjectBytes }) {
  const app = createS3SqsApp({ region, maxObjectBytes });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, port: app.server.address().port };
}
