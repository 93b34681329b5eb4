#!/usr/bin/env node
// The least-privilege check (make permissions): the recorded requests of the local runs, the service deliveries
// and the must-never requests, evaluated against the policies the Terraform renders; then grants = calls.
// Exits 1 naming each denied request, each unused grant and each must-never request that is allowed.
//   node check.mjs --render <terraform test -json output> --requests <request log> [--docs <markdown out>]

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateDelivery, evaluateRole, grantCovers, grantsOf, mustNeverRequests, sessionOf } from './lib/evaluate.mjs';
import { readRender } from './lib/render.mjs';
import { readRequests } from './lib/requests.mjs';
import { renderReport } from './lib/report.mjs';

const TRIGGERS = ['s3-notification', 'sns-fanout', 'eventbridge'];

const { values } = parseArgs({ options: { render: { type: 'string' }, requests: { type: 'string' }, docs: { type: 'string' }, 'record-name': { type: 'string' } } });
if (!values.render || !values.requests) {
  process.stderr.write('usage: node check.mjs --render <render.jsonl> --requests <requests.jsonl> [--docs <out.md>]\n');
  process.exit(2);
}

const runs = readRender(values.render);
const { rows, tooling } = readRequests(values.requests);
const exceptions = JSON.parse(readFileSync(new URL('./exceptions.json', import.meta.url), 'utf8')).grants;
const problems = [];
const triggers = [];

for (const run of [...TRIGGERS, 'prefixes']) {
  const model = runs.get(run);
  if (model === undefined) {
    problems.push(`the render has no run "${run}" (tools/permissions/render/permissions.tftest.hcl)`);
    continue;
  }
  const roleOf = new Map(model.roles.map((r) => [r.handler, r]));
  // The buckets as the functions are told them (SOURCE_BUCKET, OUTPUT_BUCKET: the contract with the code).
  const thumbnails = roleOf.get('thumbnails');
  const bucketNames = { source: thumbnails?.environment.SOURCE_BUCKET, output: thumbnails?.environment.OUTPUT_BUCKET };
  const entry = { run, grants: [], denied: [], deliveries: [], mustNever: [] };

  if (TRIGGERS.includes(run)) {
    // 1. Every recorded request of this trigger, by its consumer's role.
    const recorded = rows.filter((r) => r.trigger === run);
    const allowed = [];
    for (const row of recorded) {
      const role = roleOf.get(row.consumer);
      const where = `${run}: ${row.consumer} (${[...row.processes].join('+')}, ${[...row.layouts].join(', ')}) ${row.action} ${row.resource} → ${row.status}, ${row.count}×`;
      if (role === undefined) {
        problems.push(`${where}: no role for consumer "${row.consumer}" in the Terraform of this trigger`);
        continue;
      }
      const { decision, detail } = await evaluateRole(model, role, row);
      if (decision === 'Allowed') allowed.push({ ...row, role });
      else {
        entry.denied.push(`${where}: ${decision}${detail ? ` ${detail}` : ''}`);
        problems.push(`DENIED ${where}: ${decision}${detail ? ` ${detail}` : ''}`);
      }
    }
    if (recorded.length === 0) problems.push(`${run}: the request log holds no request of this trigger (record with make permissions-record)`);

    // 2. Grants = calls.
    for (const role of model.roles) {
      for (const grant of grantsOf(role)) {
        const users = allowed.filter((r) => r.role === role && grantCovers(grant, r));
        const exception = exceptions.find((e) => e.action === grant.action);
        const usedBy = users.length === 0 ? undefined : {
          count: users.reduce((n, u) => n + u.count, 0),
          processes: new Set(users.flatMap((u) => [...u.processes])),
          example: users[0].resource,
          status: users[0].status,
        };
        // ListBucket is what makes S3 answer a read of a deleted key 404: those reads are its evidence.
        const missing = grant.action === 's3:ListBucket' ? allowed.filter((r) => r.role === role && r.action === 's3:GetObject' && r.status === 404 && r.resource.startsWith(`${grant.resource}/`)) : [];
        const evidence = missing.length === 0 ? undefined : { count: missing.reduce((n, u) => n + u.count, 0), example: missing[0].resource };
        entry.grants.push({ role: role.name, ...grant, usedBy, exception, evidence });
        if (usedBy === undefined && exception === undefined) {
          problems.push(`UNUSED GRANT ${run}: ${role.name} ${grant.sid} ${grant.action} on ${grant.resource}: no recorded request uses it (remove it, or list it with a reason in tools/permissions/exceptions.json)`);
        }
      }
    }

    // 3. Deliveries between services.
    for (const delivery of model.deliveries) {
      const { decision, detail } = await evaluateDelivery(model, delivery);
      entry.deliveries.push({ ...delivery, decision });
      if (decision !== 'Allowed') problems.push(`DENIED DELIVERY ${run}: ${delivery.service} ${delivery.action} ${delivery.resource} (aws:SourceArn ${delivery.sourceArn}): ${decision}${detail ? ` ${detail}` : ''}`);
    }
  }

  // 4. Must-never requests (and their allowed controls in the prefixes run).
  for (const m of mustNeverRequests(model, bucketNames)) {
    let decision;
    let principal;
    if (m.delivery) {
      ({ decision } = await evaluateDelivery(model, m.delivery, m.overrides));
      principal = m.delivery.service;
      entry.mustNever.push({ expect: m.expect, principal, action: m.delivery.action, resource: m.delivery.resource, context: Object.fromEntries(Object.entries(m.overrides).map(([k, v]) => [k === 'sourceArn' ? 'aws:SourceArn' : 'aws:SourceAccount', v])), why: m.why, decision });
    } else {
      ({ decision } = await evaluateRole(model, m.role, m));
      principal = sessionOf(m.role).principal.split('/').slice(1, 2)[0];
      entry.mustNever.push({ expect: m.expect, principal, action: m.action, resource: m.resource, context: m.context, why: m.why, decision });
    }
    // ImplicitlyDenied and ExplicitlyDenied both deny; the table shows which.
    const outcome = decision === 'Allowed' ? 'Allowed' : decision.endsWith('Denied') ? 'Denied' : decision;
    if (outcome !== m.expect) problems.push(`${m.expect === 'Denied' ? 'MUST-NEVER ALLOWED' : 'CONTROL DENIED'} ${run}: ${principal} ${m.delivery?.action ?? m.action} ${m.delivery?.resource ?? m.resource} (${m.why}): ${decision}`);
  }
  triggers.push(entry);
}

const report = renderReport({ triggers, exceptions, recordFile: values['record-name'] ?? values.requests, toolingLines: tooling, problems });
if (values.docs) writeFileSync(values.docs, `${report}\n`);

const count = (key) => triggers.reduce((n, t) => n + t[key].length, 0);
for (const p of problems) process.stderr.write(`permissions: ${p}\n`);
process.stdout.write(`permissions: ${rows.reduce((n, r) => n + r.count, 0)} recorded requests (${rows.length} distinct) over ${TRIGGERS.length} triggers, ${count('grants')} grants, ${count('deliveries')} deliveries, ${count('mustNever')} must-never/control requests: ${problems.length === 0 ? 'all as required' : `${problems.length} problem(s)`}\n`);
process.exit(problems.length === 0 ? 0 : 1);
