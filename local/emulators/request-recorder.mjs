// Opt-in record of every request the emulators answer, for the least-privilege check (tools/permissions): one JSON
// line per request with who signed it (the access key id of the SigV4 credential, which the local tooling sets to
// name the process: thumbnails-function, thumbnails-poller, ...), the signing service, what was asked and the status.
// Off unless IMAGEPATTERN_REQUEST_LOG names a file; lines are appended, so several stacks can share one file.

import { appendFileSync } from 'node:fs';

export const REQUEST_LOG_VARIABLE = 'IMAGEPATTERN_REQUEST_LOG';

// JSON-protocol parameters that name the resource (SQS, DynamoDB, EventBridge); never item data or message bodies.
const RESOURCE_PARAMETERS = ['QueueUrl', 'QueueName', 'TableName', 'TopicArn', 'Name', 'Rule'];

/** `Credential=<key id>/<date>/<region>/<service>/aws4_request` of the Authorization header or a presigned query. */
export function signer(headers, query = {}) {
  const credential = /Credential=([^,\s]+)/.exec(String(headers.authorization ?? ''))?.[1] ?? query['X-Amz-Credential'];
  if (credential === undefined) return { accessKeyId: null, service: null };
  const [accessKeyId, , , service] = String(credential).split('/');
  return { accessKeyId, service: service ?? null };
}

export class RequestRecorder {
  /** A recorder writing to the file IMAGEPATTERN_REQUEST_LOG names, or undefined when it is not set. */
  static fromEnvironment(environment = process.env) {
    const path = environment[REQUEST_LOG_VARIABLE];
    return path ? new RequestRecorder(path) : undefined;
  }

  constructor(path) {
    this.path = path;
  }

  /**
   * @param entry.headers  request headers (authorization, x-amz-target, x-amz-copy-source are kept)
   * @param entry.params   the parsed JSON body or form, when there is one
   */
  record({ method, url, headers, query, params, status }) {
    const { accessKeyId, service } = signer(headers, query);
    const kept = {};
    if (params !== null && typeof params === 'object' && !Buffer.isBuffer(params)) {
      for (const name of ['Action', ...RESOURCE_PARAMETERS]) if (typeof params[name] === 'string') kept[name] = params[name];
    }
    const line = {
      accessKeyId,
      service,
      method,
      url,
      target: headers['x-amz-target'] ?? null,
      copySource: headers['x-amz-copy-source'] ?? null,
      params: kept,
      status,
    };
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }
}
