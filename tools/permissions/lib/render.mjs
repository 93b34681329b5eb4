// Reads the plans `terraform test -verbose -json` printed for render/permissions.tftest.hcl (one run per trigger)
// and gives, for each run, the policies as IAM would hold them after an apply: each function's role policy, the
// resource policies of buckets, queues and topics, the KMS key policies, and the deliveries the stack wires
// (S3 -> queue or topic, topic -> queue, EventBridge rule -> queue). Nothing here names a resource address: the
// policies are found by resource type and by what they grant, so modules may move without a change here.

import { readFileSync } from 'node:fs';

const list = (value) => (value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** An aws_iam_policy_document read (its `statement` blocks and `source_policy_documents`) as policy JSON. */
export function documentToPolicy(doc) {
  const statements = [];
  for (const source of list(doc.source_policy_documents)) statements.push(...JSON.parse(source).Statement);
  for (const block of list(doc.statement)) {
    const statement = { Effect: block.effect ?? 'Allow' };
    if (block.sid) statement.Sid = block.sid;
    const principals = (blocks) => {
      const out = {};
      for (const p of list(blocks)) {
        if (p.type === '*') return '*';
        out[p.type] = [...list(out[p.type]), ...p.identifiers];
      }
      return out;
    };
    if (list(block.principals).length > 0) statement.Principal = principals(block.principals);
    if (list(block.not_principals).length > 0) statement.NotPrincipal = principals(block.not_principals);
    if (list(block.actions).length > 0) statement.Action = block.actions;
    if (list(block.not_actions).length > 0) statement.NotAction = block.not_actions;
    if (list(block.resources).length > 0) statement.Resource = block.resources;
    if (list(block.not_resources).length > 0) statement.NotResource = block.not_resources;
    if (list(block.condition).length > 0) {
      statement.Condition = {};
      for (const c of block.condition) {
        statement.Condition[c.test] = { ...(statement.Condition[c.test] ?? {}), [c.variable]: c.values };
      }
    }
    statements.push(statement);
  }
  return { Version: '2012-10-17', Statement: statements };
}

const hasPrincipal = (policy) => policy.Statement.some((s) => s.Principal !== undefined || s.NotPrincipal !== undefined);
const resourcesOf = (policy) => new Set(policy.Statement.flatMap((s) => list(s.Resource)).filter((r) => r !== '*'));

/** Everything one plan says about permissions. */
export function modelOfPlan(run, plan) {
  const changes = plan.resource_changes.filter((c) => c.change?.after);
  const after = (c) => c.change.after;
  const inModule = (module, type) => changes.filter((c) => (c.module_address ?? '') === module && c.type === type);
  const docs = changes.filter((c) => c.mode === 'data' && c.type === 'aws_iam_policy_document' && Array.isArray(after(c).statement));

  // Roles: a module holding a Lambda function, its role and a policy document without principals (the identity policy).
  const roles = [];
  for (const fn of changes.filter((c) => c.type === 'aws_lambda_function')) {
    const module = fn.module_address ?? '';
    const [role] = inModule(module, 'aws_iam_role');
    const identity = docs.filter((d) => (d.module_address ?? '') === module).map((d) => ({ address: d.address, policy: documentToPolicy(after(d)) })).find((d) => !hasPrincipal(d.policy));
    if (role === undefined || identity === undefined) throw new Error(`${run}: no role or role policy beside ${fn.address}`);
    const environment = list(after(fn).environment)[0]?.variables ?? {};
    const [mapping] = inModule(module, 'aws_lambda_event_source_mapping');
    roles.push({ handler: after(fn).handler, name: after(role).name, functionName: after(fn).function_name, environment, queueArn: mapping === undefined ? undefined : after(mapping).event_source_arn, policy: identity.policy, policyAddress: identity.address });
  }

  // Resource policies: given whole (known at plan), or as a document with principals whose statements name one resource.
  const resourcePolicies = new Map();
  const queueArnByUrl = new Map(changes.filter((c) => c.type === 'aws_sqs_queue').map((c) => [after(c).url, after(c).arn]));
  const add = (arn, policy, address) => {
    if (arn === undefined || policy === undefined) return;
    resourcePolicies.set(arn, { policy: typeof policy === 'string' ? JSON.parse(policy) : policy, address });
  };
  for (const c of changes) {
    const a = after(c);
    if (c.type === 'aws_s3_bucket_policy' && typeof a.policy === 'string') add(`arn:aws:s3:::${a.bucket}`, a.policy, c.address);
    if (c.type === 'aws_sqs_queue_policy' && typeof a.policy === 'string') add(queueArnByUrl.get(a.queue_url), a.policy, c.address);
    if (c.type === 'aws_sns_topic_policy' && typeof a.policy === 'string') add(a.arn, a.policy, c.address);
    if (c.type === 'aws_kms_key' && typeof a.policy === 'string') add(a.arn, a.policy, c.address);
  }
  for (const d of docs) {
    const policy = documentToPolicy(after(d));
    if (!hasPrincipal(policy)) continue;
    const named = [...resourcesOf(policy)];
    if (named.length === 1 && !resourcePolicies.has(named[0])) add(named[0], policy, d.address);
  }

  // Deliveries the stack wires, each with the sender's service and source.
  const deliveries = [];
  const ruleArnByName = new Map(changes.filter((c) => c.type === 'aws_cloudwatch_event_rule').map((c) => [after(c).name, after(c).arn]));
  for (const c of changes) {
    const a = after(c);
    if (c.type === 'aws_s3_bucket_notification') {
      const bucketArn = `arn:aws:s3:::${a.bucket}`;
      for (const q of list(a.queue)) deliveries.push({ service: 's3.amazonaws.com', action: 'sqs:SendMessage', resource: q.queue_arn, sourceArn: bucketArn });
      for (const t of list(a.topic)) deliveries.push({ service: 's3.amazonaws.com', action: 'sns:Publish', resource: t.topic_arn, sourceArn: bucketArn });
    }
    if (c.type === 'aws_sns_topic_subscription' && a.protocol === 'sqs') {
      deliveries.push({ service: 'sns.amazonaws.com', action: 'sqs:SendMessage', resource: a.endpoint, sourceArn: a.topic_arn });
    }
    if (c.type === 'aws_cloudwatch_event_target') {
      deliveries.push({ service: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: a.arn, sourceArn: ruleArnByName.get(a.rule) });
    }
  }
  // A topic encrypted with a customer managed key: the publisher needs the key as well (GenerateDataKey, Decrypt).
  const topicKeys = new Map(changes.filter((c) => c.type === 'aws_sns_topic').map((c) => [after(c).arn, after(c).kms_master_key_id]));
  for (const d of [...deliveries]) {
    const key = d.action === 'sns:Publish' ? topicKeys.get(d.resource) : undefined;
    if (key?.startsWith('arn:')) {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) deliveries.push({ service: d.service, action, resource: key, sourceArn: d.sourceArn, via: d.resource });
    }
  }
  for (const d of deliveries) {
    if (d.resource === undefined || d.sourceArn === undefined) throw new Error(`${run}: a delivery with an unknown ARN (${JSON.stringify(d)}): give the resource an override in render/permissions.tftest.hcl`);
  }
  return { run, roles, resourcePolicies, deliveries };
}

/** Every run of the render, by run name (the trigger). */
export function readRender(path) {
  const runs = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.includes('"test_plan"')) continue;
    const message = JSON.parse(line);
    runs.set(message['@testrun'], modelOfPlan(message['@testrun'], message.test_plan));
  }
  if (runs.size === 0) throw new Error(`${path} holds no test_plan message: was it written by terraform test -verbose -json?`);
  return runs;
}
