#!/usr/bin/env node
// The local AWS stack in one Node process, every port on 127.0.0.1:
//   fauxqs (S3 + SQS + SNS on one port, with the S3 notification bridge and a local
//   EventBridge default bus: rules and targets, S3 Object Created events to SQS targets)
//   dynalite (DynamoDB; in memory, or LevelDB under --state)
// Prints one JSON line on stdout once both accept requests, then runs until SIGTERM,
// SIGINT or (with --exit-on-stdin-close) the end of stdin.

import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lockStateDir } from './state-lock.mjs';

const USAGE = `usage: node local/stack.mjs [options]
  --port <n>              S3 + SQS + SNS + EventBridge port (default 4566; 0 picks a free one)
  --dynamo-port <n>       DynamoDB port (default 4567; 0 picks a free one)
  --region <name>         region in ARNs, queue URLs and events (default us-east-1)
  --state <dir>           keep DynamoDB data (LevelDB) and TTL settings under <dir>;
                          in memory when omitted. S3 and SQS are always in memory.
  --max-object-mb <n>     largest S3 request body accepted (default 512)
  --exit-on-stdin-close   stop when stdin ends (a parent that dies leaves no orphan)
  --help`;

/**
 * Starts the stack. Returns { s3, sqs, sns, events, dynamodb, region, state, close() }; the URLs
 * are the endpoints to give clients (AWS_ENDPOINT_URL and friends). s3, sqs, sns and events are
 * one port.
 */
export async function startStack({ port = 4566, dynamoPort = 4567, region = 'us-east-1', state, maxObjectBytes = 512 * 1024 * 1024 } = {}) {
  // Loaded here rather than at the top so `--help` and flag errors answer at once.
  const [{ DynamoServer }, { startS3Sqs }] = await Promise.all([import('./emulators/dynamodb/dynamo-server.mjs'), import('./emulators/s3-sqs-sns/s3-sqs-server.mjs')]);
  const stateDir = state === undefined ? undefined : resolve(state);
  const release = stateDir === undefined ? () => {} : lockStateDir(stateDir);
  let fauxqs;
  let dynamo;
  try {
    fauxqs = await startS3Sqs({ port, region, maxObjectBytes });
    dynamo = new DynamoServer({ stateDir });
    await dynamo.listen(dynamoPort);
  } catch (error) {
    await fauxqs?.app.close();
    await dynamo?.close().catch(() => {});
    release();
    throw error;
  }
  const s3 = `http://127.0.0.1:${fauxqs.port}`;
  return {
    s3,
    sqs: s3,
    sns: s3,
    events: s3,
    dynamodb: `http://127.0.0.1:${dynamo.port}`,
    region,
    state: stateDir ?? null,
    async close() {
      await Promise.allSettled([fauxqs.app.close(), dynamo.close()]);
      release();
    },
  };
}

function parsePort(text, flag) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${flag} must be a port number (0-65535), got '${text}'`);
  return value;
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4566' },
      'dynamo-port': { type: 'string', default: '4567' },
      region: { type: 'string', default: 'us-east-1' },
      state: { type: 'string' },
      'max-object-mb': { type: 'string', default: '512' },
      'exit-on-stdin-close': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const maxMb = Number(values['max-object-mb']);
  if (!Number.isInteger(maxMb) || maxMb < 1 || maxMb > 4096) throw new Error('--max-object-mb must be an integer from 1 to 4096');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region)) throw new Error(`--region '${values.region}' does not look like an AWS region`);
  return {
    help: values.help,
    exitOnStdinClose: values['exit-on-stdin-close'],
    stack: {
      port: parsePort(values.port, '--port'),
      dynamoPort: parsePort(values['dynamo-port'], '--dynamo-port'),
      region: values.region,
      state: values.state,
      maxObjectBytes: maxMb * 1024 * 1024,
    },
  };
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const failStartup = (error) => {
    process.stdout.write(`${JSON.stringify({ ready: false, error: String(error?.message ?? error) })}\n`);
    process.stderr.write(`local stack failed to start: ${error?.stack ?? error}\n`);
    process.exit(1);
  };
  // Some emulator failures (a LevelDB that cannot open) surface as uncaught errors.
  process.on('uncaughtException', failStartup);
  let stack;
  try {
    stack = await startStack(options.stack);
  } catch (error) {
    failStartup(error);
  }
  process.off('uncaughtException', failStartup);

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`local stack stopping (${why})\n`);
    // Closing waits for in-flight requests; a stuck client must not keep us alive.
    setTimeout(() => process.exit(1), 5000).unref();
    await stack.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (options.exitOnStdinClose) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('close', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }

  const { s3, sqs, sns, events, dynamodb, region, state } = stack;
  process.stdout.write(`${JSON.stringify({ ready: true, s3, sqs, sns, events, dynamodb, region, state, pid: process.pid })}\n`);
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) await main();
