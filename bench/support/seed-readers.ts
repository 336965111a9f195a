/** Confirmed readers written straight into the table as the subscriber store lays them out (in gsi1), a BatchWriteItem per 25. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from '../../functions/adapters/dynamo-requests.js';
import { GSI1_PK, GSI1_SK, keys } from '../../functions/adapters/dynamo-table.js';
import type { Preferences } from '../../functions/core/subscribers/preferences.js';
import { subscriberId } from '../../functions/core/subscribers/email.js';

export async function seedReaders(
  doc: DynamoDBDocumentClient,
  table: string,
  count: number,
  options: { confirmedAt: string; preferences?: (i: number) => Partial<Preferences> | undefined },
): Promise<void> {
  const { confirmedAt } = options;
  const items = Array.from({ length: count }, (_, i) => {
    const email = `reader-${i}@example.com`;
    const id = subscriberId(email);
    const preferences = options.preferences?.(i);
    return {
      PutRequest: {
        Item: {
          ...keys.subscriber(id),
          [GSI1_PK]: keys.confirmedSubscribers,
          [GSI1_SK]: id,
          id,
          email,
          status: 'confirmed',
          source: 'bench',
          createdAt: confirmedAt,
          updatedAt: confirmedAt,
          confirmedAt,
          generation: 1,
          ...(preferences ? { preferences } : {}),
          version: 1,
        },
      },
    };
  });
  await batchWrite(doc, table, items);
}
