import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, GSI1, tableDefinition } from '../../functions/adapters/dynamo-table.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

describe('tableDefinition', () => {
  it('describes an on-demand table with a pk/sk key and one general-purpose index', () => {
    const definition = tableDefinition('pressrun-prod');

    expect(definition).toMatchObject({
      TableName: 'pressrun-prod',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(definition.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([GSI1]);
  });
});

describe('ensureTable', () => {
  it('creates a missing table, leaves an existing one alone, and returns once it is ACTIVE', async () => {
    await ensureTable(aws.doc, 'created-here');
    await ensureTable(aws.doc, 'created-here');

    const { Table } = await aws.doc.send(new DescribeTableCommand({ TableName: 'created-here' }));

    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus])).toEqual([[GSI1, 'ACTIVE']]);
  });

  it('tolerates two processes creating the same table at once', async () => {
    await expect(Promise.all([ensureTable(aws.doc, 'raced'), ensureTable(aws.doc, 'raced')])).resolves.toEqual([undefined, undefined]);
  });
});
