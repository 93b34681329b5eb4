#!/usr/bin/env node
// Keeps a request log small enough to commit as the fixture: drops the tooling's lines (keys that name no
// function or poller) and repeated lines, and keeps at most 5 lines per signer, method, target, bucket, first key
// segment and status (a burst of 1500 uploads adds distinct keys, not distinct permissions).
//   node compact.mjs < requests.jsonl > fixtures/requests.jsonl

import { createInterface } from 'node:readline';
import { parseAccessKeyId } from './lib/requests.mjs';

const PER_GROUP = 5;
const groups = new Map();
const kept = new Set();
for await (const text of createInterface({ input: process.stdin })) {
  if (text.trim() === '' || kept.has(text)) continue;
  const line = JSON.parse(text);
  if (parseAccessKeyId(line.accessKeyId) === undefined) continue;
  const [, bucket = '', first = ''] = line.url.split('?')[0].split('/');
  const group = [line.accessKeyId, line.method, line.target, JSON.stringify(line.params), bucket, first, line.status].join(' ');
  const count = groups.get(group) ?? 0;
  if (count >= PER_GROUP) continue;
  groups.set(group, count + 1);
  kept.add(text);
}
process.stdout.write([...kept].sort().map((t) => `${t}\n`).join(''));
