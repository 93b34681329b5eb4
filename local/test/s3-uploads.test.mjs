// What fauxqs stores for the upload shapes real SDKs send, and the S3 requests the
// stack refuses or answers itself instead of letting fauxqs misroute them.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { keyPath, S3, xmlText } from '../test-support/clients.mjs';
import { startStackProcess } from '../test-support/stack-process.mjs';

let stack;
let s3;
const bucket = 'uploads-bucket';

const md5 = (bytes) => createHash('md5').update(bytes).digest('hex');

function crc32Base64(bytes) {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(bytes) >>> 0);
  return out.toString('base64');
}

/** aws-chunked framing as the .NET SDK v4 writes it: signed chunks, then a CRC32 trailer. */
function awsChunked(payload, chunkSize, trailerChecksum) {
  const signature = ';chunk-signature=' + 'a'.repeat(64);
  const parts = [];
  for (let offset = 0; offset < payload.length; offset += chunkSize) {
    const chunk = payload.subarray(offset, offset + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}${signature}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0${signature}\r\n`));
  parts.push(Buffer.from(`x-amz-checksum-crc32:${trailerChecksum}\r\nx-amz-trailer-signature:${'b'.repeat(64)}\r\n\r\n`));
  return Buffer.concat(parts);
}

function chunkedHeaders(payload) {
  return {
    'content-encoding': 'aws-chunked',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    'x-amz-decoded-content-length': String(payload.length),
    'x-amz-trailer': 'x-amz-checksum-crc32',
    'x-amz-sdk-checksum-algorithm': 'CRC32',
  };
}

before(async () => {
  stack = await startStackProcess();
  s3 = new S3(stack.ready.s3);
  await s3.createBucket(bucket);
});

after(async () => {
  await stack?.stop();
});

describe('uploads', () => {
  it('PutObject_AwsChunkedWithTrailer_StoresExactBytesAndMd5Etag', async () => {
    const payload = randomBytes(200_000);
    const put = await s3.putObject(bucket, 'chunked.bin', awsChunked(payload, 65536, crc32Base64(payload)), chunkedHeaders(payload));
    assert.equal(put.status, 200, put.text);
    assert.equal(put.headers.get('etag'), `"${md5(payload)}"`);
    const response = await fetch(`${stack.ready.s3}${keyPath(bucket, 'chunked.bin')}`);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), payload);
  });

  it('PutObject_AwsChunkedWithWrongChecksum_IsRejected', async () => {
    const payload = randomBytes(1000);
    const put = await s3.putObject(bucket, 'bad-crc.bin', awsChunked(payload, 512, crc32Base64(Buffer.from('other'))), chunkedHeaders(payload));
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'BadDigest');
    assert.equal((await s3.request('HEAD', keyPath(bucket, 'bad-crc.bin'))).status, 404);
  });

  it('PutObject_AwsChunkedTruncated_IsRejected', async () => {
    const payload = randomBytes(1000);
    const framed = awsChunked(payload, 512, crc32Base64(payload));
    const put = await s3.putObject(bucket, 'short.bin', framed.subarray(0, 700), chunkedHeaders(payload));
    assert.equal(put.status, 400);
    assert.equal(xmlText(put.xml, 'Code'), 'IncompleteBody');
  });

  it('PutObject_LargerThanFauxqsDefaultLimit_IsStored', async () => {
    const payload = randomBytes(12 * 1024 * 1024); // fauxqs alone refuses more than 11 MiB
    const put = await s3.putObject(bucket, 'large.bin', payload);
    assert.equal(put.status, 200);
    assert.equal(put.headers.get('etag'), `"${md5(payload)}"`);
  });

  it('PutObject_EmptyBodyWithoutContentType_StoresEmptyObject', async () => {
    const put = await s3.request('PUT', keyPath(bucket, 'empty.bin'), { headers: { 'content-length': '0' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.headers.get('etag'), `"${md5(Buffer.alloc(0))}"`);
    const head = await s3.request('HEAD', keyPath(bucket, 'empty.bin'));
    assert.equal(head.headers.get('content-length'), '0');
  });

  it('PutObject_WithMatchingContentMd5_IsStored', async () => {
    const payload = Buffer.from('hello');
    const put = await s3.putObject(bucket, 'md5.txt', payload, { 'content-md5': createHash('md5').update(payload).digest('base64') });
    assert.equal(put.status, 200);
  });

  for (const [method, path] of [
    ['PUT', `/${bucket}?versioning`],
    ['GET', `/${bucket}?policy`],
    ['GET', `/${bucket}?uploads`],
    ['PUT', `${keyPath(bucket, 'md5.txt')}?tagging`],
  ]) {
    it(`${method}_${path.split('?')[1]}_IsNotImplemented`, async () => {
      const response = await s3.request(method, path, { body: method === 'PUT' ? '<Tagging/>' : undefined });
      assert.equal(response.status, 501);
      assert.equal(xmlText(response.xml, 'Code'), 'NotImplemented');
    });
  }

  it('UploadPartCopy_IsNotImplemented', async () => {
    const started = await s3.request('POST', `${keyPath(bucket, 'parts.bin')}?uploads`);
    const uploadId = xmlText(started.xml, 'UploadId');
    const response = await s3.request('PUT', `${keyPath(bucket, 'parts.bin')}?partNumber=1&uploadId=${uploadId}`, {
      headers: { 'x-amz-copy-source': `${bucket}/md5.txt` },
    });
    assert.equal(response.status, 501);
  });

  it('PutObjectTagging_Refused_LeavesObjectIntact', async () => {
    await s3.request('PUT', `${keyPath(bucket, 'md5.txt')}?tagging`, { body: '<Tagging/>' });
    assert.equal((await s3.request('GET', keyPath(bucket, 'md5.txt'))).text, 'hello');
  });

  it('GetBucketLocation_ReturnsEmptyConstraintForUsEast1', async () => {
    const response = await s3.request('GET', `/${bucket}?location`);
    assert.equal(response.status, 200);
    assert.equal(response.xml.name, 'LocationConstraint');
    assert.equal(response.xml.text, '');
    assert.equal((await s3.request('GET', '/missing-bucket?location')).status, 404);
  });
});
