// Evaluates requests with @cloud-copilot/iam-simulate (AGPL-3.0-or-later: this folder is its only user) against
// the rendered policies: the recorded requests of each consumer's role, the service deliveries the stack wires,
// and requests the functions must never be able to make. Then grants = calls: every action on every resource a
// role policy grants is used by some allowed request, or is a listed exception.

import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, REGION } from './requests.mjs';

const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const glob = (pattern) => new RegExp(`^${pattern.split('*').map((part) => part.split('?').map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*')}$`);

/** Whose resource policy applies: the bucket's for objects, else the resource's own. */
function resourcePolicyOf(model, resource) {
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(resource);
  const owner = bucket ? `arn:aws:s3:::${bucket[1]}` : resource;
  return model.resourcePolicies.get(owner)?.policy;
}

/** Lambda's session of the role: the principal of the function's and the event source mapping's requests. */
export const sessionOf = (role) => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/${role.functionName}`,
  context: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${role.name}`, 'aws:PrincipalAccount': ACCOUNT },
});

async function simulate({ principal, action, resource, context, identityPolicy, resourcePolicy }) {
  const result = await runSimulation(
    {
      identityPolicies: identityPolicy === undefined ? [] : [{ name: 'role', policy: identityPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    },
    {},
  );
  if (result.resultType === 'error' || result.errors !== undefined) {
    return { decision: 'Error', detail: JSON.stringify(result.errors ?? result).slice(0, 300) };
  }
  return { decision: result.overallResult };
}

/** AWS receives every request over TLS; the local wire is plain HTTP, so the key is set, not observed. */
export const TLS = { 'aws:SecureTransport': 'true' };

export async function evaluateRole(model, role, { action, resource, context = {} }) {
  const session = sessionOf(role);
  return simulate({
    principal: session.principal,
    action,
    resource,
    context: { ...TLS, ...session.context, ...context },
    identityPolicy: role.policy,
    resourcePolicy: resourcePolicyOf(model, resource),
  });
}

export async function evaluateDelivery(model, delivery, overrides = {}) {
  const d = { ...delivery, ...overrides };
  const context = { ...TLS, 'aws:SourceArn': d.sourceArn, 'aws:SourceAccount': d.sourceAccount ?? ACCOUNT };
  return simulate({ principal: d.service, action: d.action, resource: d.resource, context, resourcePolicy: resourcePolicyOf(model, d.resource) });
}

/** Every (statement, action, resource) an Allow of the role policy names. */
export function grantsOf(role) {
  const grants = [];
  for (const statement of role.policy.Statement) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of list(statement.Action)) {
      for (const resource of list(statement.Resource)) {
        grants.push({ sid: statement.Sid ?? '', action, resource, condition: statement.Condition });
      }
    }
  }
  return grants;
}

export const grantCovers = (grant, request) => glob(grant.action.toLowerCase()).test(request.action.toLowerCase()) && glob(grant.resource).test(request.resource);

/**
 * Requests the functions must never be able to make, per role: writes and deletes in the source bucket, a Scan,
 * other consumers' tables, sending to their own queue, and anything over plain HTTP. `prefixes` (the run with a
 * source and output prefix) adds reads outside the source prefix and writes outside the output prefix, each
 * beside the same request inside the prefix, which must be allowed (so the denial is the prefix's doing).
 */
export function mustNeverRequests(model, bucketNames) {
  const out = [];
  // Each function's table as it is told it (TASKS_TABLE), its queue as its event source mapping names it.
  const tableOf = (role) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${role.environment.TASKS_TABLE}`;
  const tables = model.roles.map(tableOf);
  const queues = model.roles.map((r) => r.queueArn);
  const source = `arn:aws:s3:::${bucketNames.source}`;
  const output = `arn:aws:s3:::${bucketNames.output}`;
  for (const role of model.roles) {
    const table = tableOf(role);
    const queue = role.queueArn;
    const deny = (action, resource, why, context) => out.push({ role, action, resource, context, why, expect: 'Denied' });
    const allow = (action, resource, why, context) => out.push({ role, action, resource, context, why, expect: 'Allowed' });
    if (model.run === 'prefixes') {
      allow('s3:GetObject', `${source}/uploads/a.jpg`, 'a read under the source prefix (the control for the next)');
      deny('s3:GetObject', `${source}/private/a.jpg`, 'a read outside the source prefix');
      allow('s3:ListBucket', source, 'a listing under the source prefix (the control for the next)', { 's3:prefix': 'uploads/a.jpg' });
      deny('s3:ListBucket', source, 'a listing outside the source prefix', { 's3:prefix': 'private/' });
      if (role.handler === 'thumbnails') {
        allow('s3:PutObject', `${output}/thumbnails/a.webp`, 'a write under the output prefix (the control for the next)');
        deny('s3:PutObject', `${output}/elsewhere/a.webp`, 'a write outside the output prefix');
      }
      continue;
    }
    deny('s3:PutObject', `${source}/a.jpg`, 'a write in the source bucket');
    deny('s3:DeleteObject', `${source}/a.jpg`, 'a delete in the source bucket');
    deny('s3:DeleteObject', `${output}/a.webp`, 'a delete in the output bucket');
    if (role.handler !== 'thumbnails') deny('s3:PutObject', `${output}/a.webp`, 'a write in the output bucket by a consumer that writes no thumbnails');
    deny('s3:GetObject', `${source}/a.jpg`, 'a read over plain HTTP (the TLS-only bucket policy)', { 'aws:SecureTransport': 'false' });
    deny('dynamodb:Scan', table, 'a Scan of its task table');
    deny('dynamodb:DeleteItem', table, 'a DeleteItem (the ledger releases a claim with a conditional UpdateItem)');
    deny('sqs:SendMessage', queue, 'a send to its own queue');
    deny('sqs:ReceiveMessage', queue.replace(/$/, '-dlq'), 'a receive from its dead-letter queue');
    for (const other of tables.filter((t) => t !== table)) deny('dynamodb:GetItem', other, "a read of another consumer's table");
    for (const other of queues.filter((q) => q !== queue)) deny('sqs:ReceiveMessage', other, "a receive from another consumer's queue");
  }
  for (const delivery of model.deliveries.filter((d) => !d.via)) {
    const other = delivery.service === 's3.amazonaws.com' ? 'arn:aws:s3:::someone-elses-bucket' : delivery.sourceArn.replace(/[^:/]+$/, 'someone-elses');
    out.push({ delivery, overrides: { sourceArn: other }, why: `${delivery.service} for another ${delivery.service.split('.')[0]} resource`, expect: 'Denied' });
    if (delivery.service === 's3.amazonaws.com') {
      out.push({ delivery, overrides: { sourceAccount: '111122223333' }, why: 'S3 for a bucket of another account', expect: 'Denied' });
    }
  }
  return out;
}
