/**
 * Every item a document client writes, counted by kind of item (the table's key layout,
 * functions/adapters/dynamo-table.ts), with the write units DynamoDB would bill: one per KB of
 * an item put (its size taken as its JSON's), one per update or delete.
 */
import { BatchWriteCommand, DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface WriteCounts {
  /** Items written so far, by kind. */
  readonly byKind: Map<string, number>;
  units(): number;
  /** What was written since `before` (a copy of byKind), by kind. */
  since(before: Map<string, number>): Map<string, number>;
  reset(): void;
}

export function kindOf(key: Record<string, unknown> | undefined): string {
  const pk = String(key?.pk ?? '');
  const sk = String(key?.sk ?? '');
  if (sk === 'MARK') return 'marks';
  if (sk.startsWith('BATCH#')) return 'ledger batches';
  if (sk.startsWith('SEGMENT#')) return 'ledger segments';
  if (sk === 'SEND') return 'ledger job';
  if (pk.startsWith('OFFER#')) return 'offers';
  if (sk === 'DIGEST') return 'contents';
  if (pk === 'STATE' && sk === 'rounds') return 'rounds state';
  return `other (${pk.split('#')[0]})`;
}

/** Wraps `doc.send` so each write is counted once it succeeded. */
export function countWrites(doc: DynamoDBDocumentClient, table: string): WriteCounts {
  const byKind = new Map<string, number>();
  let units = 0;
  const count = (key: Record<string, unknown> | undefined, item?: Record<string, unknown>) => {
    byKind.set(kindOf(key), (byKind.get(kindOf(key)) ?? 0) + 1);
    units += item ? Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item)) / 1024)) : 1;
  };
  const send = doc.send.bind(doc) as (command: unknown) => Promise<Record<string, unknown>>;
  (doc as unknown as { send: typeof send }).send = async (command) => {
    const output = await send(command);
    if (command instanceof PutCommand) count(command.input.Item, command.input.Item);
    else if (command instanceof UpdateCommand || command instanceof DeleteCommand) count(command.input.Key);
    else if (command instanceof BatchWriteCommand) {
      const unprocessed = new Set((output.UnprocessedItems as Record<string, unknown[]> | undefined)?.[table] ?? []);
      for (const request of command.input.RequestItems?.[table] ?? []) {
        if (!unprocessed.has(request)) count(request.PutRequest?.Item ?? request.DeleteRequest?.Key, request.PutRequest?.Item);
      }
    }
    return output;
  };
  return {
    byKind,
    units: () => units,
    since: (before) => new Map([...byKind].map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)] as const).filter(([, n]) => n > 0)),
    reset: () => {
      byKind.clear();
      units = 0;
    },
  };
}
