// dynalite (DynamoDB on LevelDB, or in memory) with two gaps filled in front of it:
// the TTL configuration API (UpdateTimeToLive / DescribeTimeToLive) and the Item that
// ReturnValuesOnConditionCheckFailure=ALL_OLD adds to ConditionalCheckFailedException.
// Everything else goes to dynalite untouched.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { TtlRegistry } from './dynamo-ttl.mjs';
import { RequestRecorder } from '../request-recorder.mjs';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

const CONDITIONAL_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// dynalite reads the request as a stream; once the body has been read here it gets a
// stand-in carrying the same headers and bytes.
function replay(req, body) {
  const stand = Readable.from(body.length > 0 ? [body] : []);
  stand.headers = req.headers;
  stand.method = req.method;
  stand.url = req.url;
  return stand;
}

function send(res, status, data) {
  const body = JSON.stringify(data);
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.0');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.setHeader('x-amz-crc32', String(crc32(body) >>> 0)); // SDKs verify this header
  res.end(body);
}

export class DynamoServer {
  /**
   * @param options.stateDir  LevelDB and TTL settings live under it; in memory when absent
   */
  constructor({ stateDir } = {}) {
    const path = stateDir === undefined ? undefined : join(stateDir, 'dynamodb');
    if (path !== undefined) mkdirSync(path, { recursive: true });
    this.server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path });
    this.ttl = new TtlRegistry(stateDir === undefined ? undefined : join(stateDir, 'dynamodb-ttl.json'));
    const [dynaliteHandler] = this.server.listeners('request');
    this.server.removeAllListeners('request');
    this.forward = dynaliteHandler;
    this.recorder = RequestRecorder.fromEnvironment();
    this.server.on('request', (req, res) => {
      const routed = this.recorder === undefined ? this.#route(req, res) : this.#recorded(req, res);
      routed.catch((error) => {
        if (!res.headersSent) send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) });
      });
    });
  }

  async listen(port) {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = this.server.address().port;
    // The shims' own look-ups (table ids, old items) go to dynalite itself; it checks that requests are signed,
    // not by whom.
    this.client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${this.port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    // LevelDB opens lazily: ask once so a locked or unreadable state dir fails at startup.
    await this.client.send(new ListTablesCommand({ Limit: 1 }));
    return this.port;
  }

  close() {
    this.client?.destroy();
    return new Promise((resolve) => {
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
  }

  // Reads the body once to name the table, then routes a replay of it as usual.
  async #recorded(req, res) {
    const body = await readBody(req);
    let params = null;
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      // A malformed body is dynalite's to answer; the record keeps its target only.
    }
    res.on('finish', () => this.recorder.record({ method: req.method, url: req.url, headers: req.headers, params, status: res.statusCode }));
    return this.#route(replay(req, body), res);
  }

  async #route(req, res) {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (req.method !== 'POST' || (operation !== 'UpdateTimeToLive' && operation !== 'DescribeTimeToLive' && !CONDITIONAL_WRITES.has(operation))) {
      this.forward(req, res);
      return;
    }
    const body = await readBody(req);
    let data;
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch {
      this.forward(replay(req, body), res); // dynalite answers malformed JSON itself
      return;
    }
    if (operation === 'UpdateTimeToLive') {
      const [status, reply] = await this.ttl.update(this.client, data);
      send(res, status, reply);
    } else if (operation === 'DescribeTimeToLive') {
      const [status, reply] = await this.ttl.describe(this.client, data);
      send(res, status, reply);
    } else {
      if (data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') this.#attachOldItemOnConditionFailure(res, operation, data);
      this.forward(replay(req, body), res);
    }
  }

  // dynalite ignores ReturnValuesOnConditionCheckFailure; when its answer is a
  // ConditionalCheckFailedException, read the item (consistently) and add it, as DynamoDB
  // does. The read happens just after the failed write, not atomically with it.
  #attachOldItemOnConditionFailure(res, operation, data) {
    const end = res.end.bind(res);
    res.end = (chunk, ...rest) => {
      if (res.statusCode !== 400 || chunk === undefined) return end(chunk, ...rest);
      let error;
      try {
        error = JSON.parse(String(chunk));
      } catch {
        return end(chunk, ...rest);
      }
      if (!String(error.__type).endsWith('#ConditionalCheckFailedException')) return end(chunk, ...rest);
      this.#currentItem(operation, data).then(
        (item) => {
          const body = JSON.stringify(item === undefined ? error : { ...error, Item: item });
          res.setHeader('content-length', Buffer.byteLength(body));
          res.setHeader('x-amz-crc32', String(crc32(body) >>> 0));
          end(body);
        },
        () => end(chunk, ...rest),
      );
      return res;
    };
  }

  async #currentItem(operation, data) {
    try {
      let key = data.Key;
      if (operation === 'PutItem') {
        const { Table } = await this.client.send(new DescribeTableCommand({ TableName: data.TableName }));
        key = Object.fromEntries(Table.KeySchema.map(({ AttributeName }) => [AttributeName, data.Item[AttributeName]]));
      }
      const got = await this.client.send(new GetItemCommand({ TableName: data.TableName, Key: key, ConsistentRead: true }));
      return got.Item;
    } catch {
      return undefined;
    }
  }
}
