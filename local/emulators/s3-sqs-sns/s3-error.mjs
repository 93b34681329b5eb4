import { randomBytes } from 'node:crypto';
import { xmlDocument } from './xml.mjs';

/** An S3 error response: status, code and message, plus optional extra elements. */
export class S3ApiError extends Error {
  constructor(statusCode, code, message, extra = []) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    // [name, value] pairs emitted after <Message>, e.g. ArgumentName1/ArgumentValue1.
    this.extra = extra;
  }

  toXml(requestId) {
    return xmlDocument({
      Error: {
        Code: this.code,
        Message: this.message,
        ...Object.fromEntries(this.extra),
        RequestId: requestId,
        HostId: 'fauxqs',
      },
    });
  }
}

export function newRequestId() {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** Sends an S3 error from inside a Fastify hook and returns the reply, which ends the chain. */
export function sendS3Error(reply, error) {
  let requestId = reply.getHeader('x-amz-request-id');
  if (!requestId) {
    requestId = newRequestId();
    reply.header('x-amz-request-id', requestId);
  }
  return reply
    .code(error.statusCode)
    .header('content-type', 'application/xml')
    .send(error.toXml(requestId));
}
