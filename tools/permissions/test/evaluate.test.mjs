// The evaluation as the check uses it: a role's session through its identity policy and the resource's policy,
// deliveries through the resource policy alone, and grants matched by action and resource pattern.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateDelivery, evaluateRole, grantCovers, grantsOf } from '../lib/evaluate.mjs';

const bucket = 'arn:aws:s3:::source-bucket';
const queue = 'arn:aws:sqs:us-east-1:000000000000:q';
const tlsOnly = (resources) => ({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: ['s3:*', 'sqs:*'], Resource: resources, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
const role = {
  name: 'r',
  functionName: 'f',
  policy: { Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${bucket}/in/*`] }] },
};
const model = {
  resourcePolicies: new Map([
    [bucket, { policy: { Version: '2012-10-17', Statement: [tlsOnly([bucket, `${bucket}/*`])] } }],
    [queue, { policy: { Version: '2012-10-17', Statement: [tlsOnly([queue]), { Effect: 'Allow', Principal: { Service: ['s3.amazonaws.com'] }, Action: ['sqs:SendMessage'], Resource: [queue], Condition: { ArnEquals: { 'aws:SourceArn': [bucket] } } }] } }],
  ]),
};

describe('evaluate', () => {
  it('RoleRequest_AllowedOverTls_DeniedOverPlainHttpAndOutsideItsGrant', async () => {
    assert.equal((await evaluateRole(model, role, { action: 's3:GetObject', resource: `${bucket}/in/a.jpg` })).decision, 'Allowed');
    assert.equal((await evaluateRole(model, role, { action: 's3:GetObject', resource: `${bucket}/in/a.jpg`, context: { 'aws:SecureTransport': 'false' } })).decision, 'ExplicitlyDenied');
    assert.equal((await evaluateRole(model, role, { action: 's3:GetObject', resource: `${bucket}/out/a.jpg` })).decision, 'ImplicitlyDenied');
    assert.equal((await evaluateRole(model, role, { action: 's3:DeleteObject', resource: `${bucket}/in/a.jpg` })).decision, 'ImplicitlyDenied');
  });

  it('Delivery_AllowedOnlyForTheNamedSender', async () => {
    const delivery = { service: 's3.amazonaws.com', action: 'sqs:SendMessage', resource: queue, sourceArn: bucket };
    assert.equal((await evaluateDelivery(model, delivery)).decision, 'Allowed');
    assert.equal((await evaluateDelivery(model, delivery, { sourceArn: 'arn:aws:s3:::another' })).decision, 'ImplicitlyDenied');
  });

  it('Grants_AreEachActionOnEachResource_MatchedWithWildcards', () => {
    const [grant] = grantsOf(role);
    assert.deepEqual([grant.sid, grant.action, grant.resource], ['Read', 's3:GetObject', `${bucket}/in/*`]);
    assert.ok(grantCovers(grant, { action: 's3:getobject', resource: `${bucket}/in/x/y.jpg` }));
    assert.ok(!grantCovers(grant, { action: 's3:GetObject', resource: `${bucket}/inx.jpg` }));
  });
});
