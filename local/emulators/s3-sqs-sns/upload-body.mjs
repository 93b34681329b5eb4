// Turns the body of a PutObject / UploadPart request into the object's bytes and checks
// them the way S3 does. SDKs that sign per chunk (the AWS SDK for .NET v4 does, with a
// trailing CRC32) send aws-chunked framing; fauxqs 1.9.2 strips it leniently, so it is
// decoded here strictly instead and fauxqs sees plain bytes.

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3ApiError } from './s3-error.mjs';

const incomplete = () =>
  new S3ApiError(400, 'IncompleteBody', 'The request body does not match the aws-chunked framing or the declared decoded length');

const badDigest = (name) =>
  new S3ApiError(400, 'BadDigest', `The ${name} you specified did not match the calculated checksum.`);

/** Decodes aws-chunked framing; returns the payload and any trailing headers. */
export function decodeAwsChunked(buf) {
  const chunks = [];
  const trailers = {};
  let offset = 0;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', offset);
    if (lineEnd < 0) throw incomplete();
    const sizeText = buf.subarray(offset, lineEnd).toString('latin1').split(';')[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw incomplete();
    const size = parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > buf.length || buf[offset + size] !== 0x0d || buf[offset + size + 1] !== 0x0a) {
      throw incomplete();
    }
    chunks.push(buf.subarray(offset, offset + size));
    offset += size + 2;
  }
  // Trailer lines follow the zero-length chunk; an empty line (or the end) closes them.
  while (offset < buf.length) {
    const lineEnd = buf.indexOf('\r\n', offset);
    const line = buf.subarray(offset, lineEnd < 0 ? buf.length : lineEnd).toString('latin1');
    offset = lineEnd < 0 ? buf.length : lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw incomplete();
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}

const CHECKSUMS = {
  'x-amz-checksum-crc32': (body) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(body) >>> 0);
    return out.toString('base64');
  },
  'x-amz-checksum-sha1': (body) => createHash('sha1').update(body).digest('base64'),
  'x-amz-checksum-sha256': (body) => createHash('sha256').update(body).digest('base64'),
};

/**
 * Returns the object bytes for an upload request and rewrites the request so fauxqs
 * stores exactly them. Throws S3ApiError when framing, length or a checksum is wrong.
 * (CRC32C and CRC64NVME checksums are accepted unchecked: Node has no built-in for them.)
 */
export function normaliseUploadBody(request) {
  const headers = request.headers;
  // Fastify leaves an empty body without content-type undefined, which fauxqs cannot store.
  let body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body ?? '');
  let trailers = {};

  const encodings = (headers['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  if (encodings.includes('aws-chunked')) {
    ({ body, trailers } = decodeAwsChunked(body));
    const declared = headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length) throw incomplete();
    const rest = encodings.filter((e) => e !== 'aws-chunked');
    if (rest.length === 0) delete headers['content-encoding'];
    else headers['content-encoding'] = rest.join(', ');
  }

  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && createHash('md5').update(body).digest('base64') !== contentMd5.trim()) {
    throw new S3ApiError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  for (const [name, compute] of Object.entries(CHECKSUMS)) {
    const expected = trailers[name] ?? headers[name];
    if (expected !== undefined && compute(body) !== expected.trim()) throw badDigest(name);
  }

  request.body = body;
  return body;
}
