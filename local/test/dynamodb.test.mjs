// dynalite behind the stack: conditional writes, the TTL settings API and the old item
// on a failed condition.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoClient } from '../lib/dynamo-client.mjs';
import { createActiveTable } from '../test-support/clients.mjs';
import { startStackProcess } from '../test-support/stack-process.mjs';

let stack;
let dynamo;
let counter = 0;

async function newTable() {
  counter += 1;
  return createActiveTable(dynamo, `tasks-${counter}`);
}

const claim = (TableName, status, extra = {}) => ({
  TableName,
  Item: { pk: { S: 'task#1' }, status: { S: status } },
  ConditionExpression: 'attribute_not_exists(pk)',
  ...extra,
});

before(async () => {
  stack = await startStackProcess();
  dynamo = new DynamoClient(stack.ready.dynamodb);
});

after(async () => {
  await stack?.stop();
});

describe('dynamodb', () => {
  it('CreateTable_BecomesActive', async () => {
    const TableName = await newTable();
    const described = await dynamo.call('DescribeTable', { TableName });
    assert.equal(described.body.Table.TableStatus, 'ACTIVE');
  });

  it('ConditionalPut_SecondClaim_FailsWithConditionalCheckFailed', async () => {
    const TableName = await newTable();
    assert.ok((await dynamo.call('PutItem', claim(TableName, 'IN_PROGRESS'))).ok);
    const second = await dynamo.call('PutItem', claim(TableName, 'SECOND'));
    assert.equal(second.status, 400);
    assert.match(second.body.__type, /ConditionalCheckFailedException$/);
    assert.equal(second.body.Item, undefined, 'no Item unless ALL_OLD was asked for');
    const got = await dynamo.call('GetItem', { TableName, Key: { pk: { S: 'task#1' } }, ConsistentRead: true });
    assert.equal(got.body.Item.status.S, 'IN_PROGRESS');
  });

  it('ConditionalPut_WithAllOld_ReturnsTheExistingItem', async () => {
    const TableName = await newTable();
    await dynamo.call('PutItem', claim(TableName, 'COMPLETED'));
    const second = await dynamo.call('PutItem', claim(TableName, 'IN_PROGRESS', { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    assert.equal(second.status, 400);
    assert.match(second.body.__type, /ConditionalCheckFailedException$/);
    assert.deepEqual(second.body.Item, { pk: { S: 'task#1' }, status: { S: 'COMPLETED' } });
  });

  it('ConditionalUpdate_WithAllOld_ReturnsTheExistingItem', async () => {
    const TableName = await newTable();
    await dynamo.call('PutItem', claim(TableName, 'COMPLETED'));
    const update = await dynamo.call('UpdateItem', {
      TableName,
      Key: { pk: { S: 'task#1' } },
      UpdateExpression: 'SET #s = :new',
      ConditionExpression: '#s = :expected',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':new': { S: 'FAILED' }, ':expected': { S: 'IN_PROGRESS' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    assert.equal(update.status, 400);
    assert.equal(update.body.Item.status.S, 'COMPLETED');
  });

  it('UpdateTimeToLive_ThenDescribe_ReportsEnabledAttribute', async () => {
    const TableName = await newTable();
    assert.equal((await dynamo.call('DescribeTimeToLive', { TableName })).body.TimeToLiveDescription.TimeToLiveStatus, 'DISABLED');
    const update = await dynamo.call('UpdateTimeToLive', { TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } });
    assert.deepEqual(update.body, { TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } });
    assert.deepEqual((await dynamo.call('DescribeTimeToLive', { TableName })).body, {
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' },
    });
    const again = await dynamo.call('UpdateTimeToLive', { TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } });
    assert.equal(again.status, 400);
    assert.match(again.body.__type, /ValidationException$/);
  });

  it('UpdateTimeToLive_OnMissingTable_IsResourceNotFound', async () => {
    const update = await dynamo.call('UpdateTimeToLive', { TableName: 'nope', TimeToLiveSpecification: { Enabled: true, AttributeName: 'x' } });
    assert.equal(update.status, 400);
    assert.match(update.body.__type, /ResourceNotFoundException$/);
  });

  it('TimeToLive_AfterTableRecreated_IsDisabled', async () => {
    const TableName = await newTable();
    assert.ok((await dynamo.call('UpdateTimeToLive', { TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } })).ok);
    assert.ok((await dynamo.call('DeleteTable', { TableName })).ok);
    // dynalite finishes a delete after answering it; re-creating before then is refused as ResourceInUse.
    for (let i = 0; i < 5000 && (await dynamo.call('DescribeTable', { TableName })).ok; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await createActiveTable(dynamo, TableName);
    assert.equal((await dynamo.call('DescribeTimeToLive', { TableName })).body.TimeToLiveDescription.TimeToLiveStatus, 'DISABLED');
  });
});
