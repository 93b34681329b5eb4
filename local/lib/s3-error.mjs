import { randomBytes } from 'node:crypto';
import { escapeXml } from './xml.mjs';

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
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Error>',
      `<Code>${escapeXml(this.code)}</Code>`,
      `<Message>${escapeXml(this.message)}</Message>`,
      ...this.extra.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`),
      `<RequestId>${escapeXml(requestId)}</RequestId>`,
      '<HostId>fauxqs</HostId>',
      '</Error>',
    ];
    return lines.join('');
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
