// dynalite behind the stack: conditional writes, the TTL settings API and the old item
// on a failed condition.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createActiveTable, dynamoClient } from '../test-support/clients.mjs';
import { startStackProcess } from '../test-support/stack-process.mjs';

let stack;
let dynamo;
let counter = 0;

async function newTable() {
  counter += 1;
  return createActiveTable(dynamo, `tasks-${counter}`);
}

const claim = (TableName, status, extra = {}) => new PutItemCommand({
  TableName,
  Item: { pk: { S: 'task#1' }, status: { S: status } },
  ConditionExpression: 'attribute_not_exists(pk)',
  ...extra,
});

const enableTtl = (TableName) => new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } });

/** The error a rejected request ends in, or a failure when it succeeds. */
async function failure(request) {
  try {
    await request;
  } catch (error) {
    return error;
  }
  assert.fail('the request succeeded');
}

before(async () => {
  stack = await startStackProcess();
  dynamo = dynamoClient(stack.ready.dynamodb);
});

after(async () => {
  dynamo?.destroy();
  await stack?.stop();
});

describe('dynamodb', () => {
  it('CreateTable_BecomesActive', async () => {
    const TableName = await newTable();
    const described = await dynamo.send(new DescribeTableCommand({ TableName }));
    assert.equal(described.Table.TableStatus, 'ACTIVE');
  });

  it('ConditionalPut_SecondClaim_FailsWithConditionalCheckFailed', async () => {
    const TableName = await newTable();
    await dynamo.send(claim(TableName, 'IN_PROGRESS'));
    const second = await failure(dynamo.send(claim(TableName, 'SECOND')));
    assert.equal(second.$metadata.httpStatusCode, 400);
    assert.equal(second.name, 'ConditionalCheckFailedException');
    assert.equal(second.Item, undefined, 'no Item unless ALL_OLD was asked for');
    const got = await dynamo.send(new GetItemCommand({ TableName, Key: { pk: { S: 'task#1' } }, ConsistentRead: true }));
    assert.equal(got.Item.status.S, 'IN_PROGRESS');
  });

  it('ConditionalPut_WithAllOld_ReturnsTheExistingItem', async () => {
    const TableName = await newTable();
    await dynamo.send(claim(TableName, 'COMPLETED'));
    const second = await failure(dynamo.send(claim(TableName, 'IN_PROGRESS', { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })));
    assert.equal(second.$metadata.httpStatusCode, 400);
    assert.equal(second.name, 'ConditionalCheckFailedException');
    assert.deepEqual(second.Item, { pk: { S: 'task#1' }, status: { S: 'COMPLETED' } });
  });

  it('ConditionalUpdate_WithAllOld_ReturnsTheExistingItem', async () => {
    const TableName = await newTable();
    await dynamo.send(claim(TableName, 'COMPLETED'));
    const update = await failure(dynamo.send(new UpdateItemCommand({
      TableName,
      Key: { pk: { S: 'task#1' } },
      UpdateExpression: 'SET #s = :new',
      ConditionExpression: '#s = :expected',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':new': { S: 'FAILED' }, ':expected': { S: 'IN_PROGRESS' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })));
    assert.equal(update.$metadata.httpStatusCode, 400);
    assert.equal(update.Item.status.S, 'COMPLETED');
  });

  it('UpdateTimeToLive_ThenDescribe_ReportsEnabledAttribute', async () => {
    const TableName = await newTable();
    const before = await dynamo.send(new DescribeTimeToLiveCommand({ TableName }));
    assert.equal(before.TimeToLiveDescription.TimeToLiveStatus, 'DISABLED');
    const update = await dynamo.send(enableTtl(TableName));
    assert.deepEqual(update.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires_at' });
    const described = await dynamo.send(new DescribeTimeToLiveCommand({ TableName }));
    assert.deepEqual(described.TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
    const again = await failure(dynamo.send(enableTtl(TableName)));
    assert.equal(again.$metadata.httpStatusCode, 400);
    assert.equal(again.name, 'ValidationException');
  });

  it('UpdateTimeToLive_OnMissingTable_IsResourceNotFound', async () => {
    const update = await failure(dynamo.send(new UpdateTimeToLiveCommand({ TableName: 'nope', TimeToLiveSpecification: { Enabled: true, AttributeName: 'x' } })));
    assert.equal(update.$metadata.httpStatusCode, 400);
    assert.equal(update.name, 'ResourceNotFoundException');
  });

  it('TimeToLive_AfterTableRecreated_IsDisabled', async () => {
    const TableName = await newTable();
    await dynamo.send(enableTtl(TableName));
    await dynamo.send(new DeleteTableCommand({ TableName }));
    // dynalite finishes a delete after answering it; re-creating before then is refused as ResourceInUse.
    const exists = () => dynamo.send(new DescribeTableCommand({ TableName })).then(() => true, () => false);
    for (let i = 0; i < 5000 && (await exists()); i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await createActiveTable(dynamo, TableName);
    const described = await dynamo.send(new DescribeTimeToLiveCommand({ TableName }));
    assert.equal(described.TimeToLiveDescription.TimeToLiveStatus, 'DISABLED');
  });
});
