// Time-to-live settings per table, which dynalite has no API for. Only the setting is
// emulated (so provisioning code and `describe` behave as on DynamoDB); expired items
// are not deleted, which DynamoDB itself only promises to do eventually.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';

const validation = (message) => [400, { __type: 'com.amazon.coral.validate#ValidationException', message }];

export class TtlRegistry {
  #settings; // table name -> { attributeName, tableId }

  /** @param file JSON file the settings persist to; in memory when undefined */
  constructor(file) {
    this.file = file;
    this.#settings = new Map(file !== undefined && existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, 'utf8'))) : []);
  }

  // A setting belongs to one incarnation of a table: deleting and re-creating the table
  // (new TableId) leaves TTL disabled, as on DynamoDB.
  // `client` is an SDK DynamoDBClient; DynamoDB's own error (a missing table, say) is passed on as it came.
  async #current(client, tableName) {
    let table;
    try {
      table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error.$metadata?.httpStatusCode === undefined) throw error;
      return { error: [error.$metadata.httpStatusCode, { __type: `com.amazonaws.dynamodb.v20120810#${error.name}`, message: error.message }] };
    }
    const tableId = table.Table.TableId;
    const setting = this.#settings.get(tableName);
    return { tableId, setting: setting?.tableId === tableId ? setting : undefined };
  }

  async update(client, data) {
    const spec = data?.TimeToLiveSpecification;
    if (typeof data?.TableName !== 'string' || typeof spec?.Enabled !== 'boolean'
      || typeof spec.AttributeName !== 'string' || spec.AttributeName.length < 1 || spec.AttributeName.length > 255) {
      return validation('TableName, TimeToLiveSpecification.Enabled and TimeToLiveSpecification.AttributeName are required');
    }
    const { error, tableId, setting } = await this.#current(client, data.TableName);
    if (error) return error;
    if (spec.Enabled && setting) return validation('TimeToLive is already enabled');
    if (!spec.Enabled && !setting) return validation('TimeToLive is already disabled');
    if (spec.Enabled) this.#settings.set(data.TableName, { attributeName: spec.AttributeName, tableId });
    else this.#settings.delete(data.TableName);
    this.#save();
    return [200, { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } }];
  }

  async describe(client, data) {
    if (typeof data?.TableName !== 'string') return validation('TableName is required');
    const { error, setting } = await this.#current(client, data.TableName);
    if (error) return error;
    const description = setting
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: setting.attributeName }
      : { TimeToLiveStatus: 'DISABLED' };
    return [200, { TimeToLiveDescription: description }];
  }

  #save() {
    if (this.file === undefined) return;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.#settings)));
    renameSync(temporary, this.file);
  }
}
