/**
 * The one DynamoDB table Pressrun keeps its state in, and the key layout of every item.
 *
 * Conditional writes are single-item: dynalite (the local stand-in) has no
 * transactions, and every multi-item change is ordered so a crash midway is harmless.
 *
 * | item                 | pk                | sk                  | gsi1pk / gsi1sk             |
 * |----------------------|-------------------|---------------------|-----------------------------|
 * | article              | ARTICLE           | <slug>              |                             |
 * | feed membership      | PUBLISHED         | <published>#<slug>  |                             |
 * | tag membership       | TAG#<tag>         | <published>#<slug>  |                             |
 * | change marker        | CHANGE            | <slug>              |                             |
 * | manifest entry       | MANIFEST#<nnn>    | <object key>        |                             |
 * | publish run          | RUN#<id>          | RUN                 |                             |
 * | fanned-out plan      | RUN#<id>          | FANOUT#<gen>        |                             |
 * | fanned-out chunk     | RUN#<id>          | CHUNK#<gen>#<chunk> |                             |
 * | chunks landed        | RUN#<id>          | WAVE#<gen>#<wave>   |                             |
 * | publish state        | STATE             | publish             |                             |
 * | digest               | DIGEST#<id>       | DIGEST              | DIGESTS / <cutoff>#<id>     |
 * | digest send job      | DIGEST#<id>       | SEND                |                             |
 * | digest send batch    | DIGEST#<id>       | BATCH#<nnnnnn>      |                             |
 * | send's segment       | DIGEST#<id>       | SEGMENT#<nn>        |                             |
 * | subscriber           | SUBSCRIBER#<sid>  | SUBSCRIBER          | SUBSCRIBERS#confirmed / <sid> (confirmed only) |
 * | rate-limit window    | RATE#<key>        | <window start>      |                             |
 * | queued-mail claim    | MAIL#<id>         | MAIL                |                             |
 * | reader's mark        | SUBSCRIBER#<sid>  | MARK                |                             |
 * | article first mailed | OFFER#<articleId> | OFFER               |                             |
 * | rounds state         | STATE             | rounds              |                             |
 *
 * Only planning a send batch-writes (readers' marks, 25 a request): one planner at a time
 * holds a send, and a re-run writes the same marks.
 * Articles share one partition so listing by slug is a strongly consistent Query. Feed and
 * tag memberships live in the base table rather than a GSI so that a publish started right
 * after an import reads them consistently (a GSI lags); readers check every membership
 * against the article it points to, see dynamo-article-store.ts. gsi1 is a general-purpose,
 * overloaded index (projection ALL); other stores may add their own gsi1pk values.
 *
 * A digest's send ledger lives in the digest's partition, so its progress is one Query.
 * Subscribers get a partition each (keyed by a hash of the address, core/subscribers/email.ts)
 * and appear in gsi1 only while confirmed: a send's snapshot reads exactly the confirmed ones,
 * and the worker re-reads each recipient from the base table before sending. Rate-limit
 * windows and queued-mail claims expire through DynamoDB TTL on the `expiresAt` attribute
 * (epoch seconds).
 */
import { CreateTableCommand, DescribeTableCommand, type CreateTableCommandInput, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PressrunError } from '../core/errors.js';

export const PK = 'pk';
export const SK = 'sk';
export const GSI1 = 'gsi1';
export const GSI1_PK = 'gsi1pk';
export const GSI1_SK = 'gsi1sk';

/** Attributes that belong to the table layout and must never reach a caller. */
export const KEY_ATTRIBUTES: readonly string[] = [PK, SK, GSI1_PK, GSI1_SK];

export const keys = {
  article: (slug: string) => ({ [PK]: 'ARTICLE', [SK]: slug }),
  /** Which article holds a feed id; kept, marked retired, once the article is deleted, so no later article gets it. */
  articleId: (id: string) => ({ [PK]: 'ARTICLE_ID', [SK]: id }),
  articlePartition: 'ARTICLE',
  /** The site-wide feed when `tag` is undefined, else the tag's feed. */
  membershipPartition: (tag?: string) => (tag === undefined ? 'PUBLISHED' : `TAG#${tag}`),
  membershipSort: (publishedIso: string, slug: string) => `${publishedIso}#${slug}`,
  change: (slug: string) => ({ [PK]: 'CHANGE', [SK]: slug }),
  changePartition: 'CHANGE',
  manifestEntry: (partition: number, objectKey: string) => ({ [PK]: `MANIFEST#${String(partition).padStart(3, '0')}`, [SK]: objectKey }),
  manifestEntryPartition: (partition: number) => `MANIFEST#${String(partition).padStart(3, '0')}`,
  /** The former layout (DynamoManifestStore moves it): entries as attributes of items MANIFEST / shard-<nnn>. */
  manifestShard: (shard: number) => ({ [PK]: 'MANIFEST', [SK]: `shard-${String(shard).padStart(3, '0')}` }),
  manifestShardPartition: 'MANIFEST',
  publishRun: (id: string) => ({ [PK]: `RUN#${id}`, [SK]: 'RUN' }),
  /** One item per run that is queued or running, so the unfinished ones can be found without a scan. */
  unfinishedRun: (id: string) => ({ [PK]: 'RUNS_UNFINISHED', [SK]: id }),
  unfinishedRunsPartition: 'RUNS_UNFINISHED',
  /** The run id of a publish run's partition key, or undefined for any other item. */
  publishRunId: (pk: string) => (pk.startsWith('RUN#') ? pk.slice('RUN#'.length) : undefined),
  fanOutPlan: (runId: string, generation: number) => ({ [PK]: `RUN#${runId}`, [SK]: `FANOUT#${generation}` }),
  fanOutChunk: (runId: string, generation: number, chunk: string) => ({ [PK]: `RUN#${runId}`, [SK]: `CHUNK#${generation}#${chunk}` }),
  fanOutChunkPrefix: (generation: number) => `CHUNK#${generation}#`,
  fanOutWave: (runId: string, generation: number, wave: number) => ({ [PK]: `RUN#${runId}`, [SK]: `WAVE#${generation}#${wave}` }),
  publishState: { [PK]: 'STATE', [SK]: 'publish' },
  digest: (id: string) => ({ [PK]: `DIGEST#${id}`, [SK]: 'DIGEST' }),
  digestsByCutoff: 'DIGESTS',
  digestCutoffSort: (cutoffIso: string, id: string) => `${cutoffIso}#${id}`,
  sendJob: (digestId: string) => ({ [PK]: `DIGEST#${digestId}`, [SK]: 'SEND' }),
  sendBatch: (digestId: string, batch: number) => ({ [PK]: `DIGEST#${digestId}`, [SK]: `BATCH#${String(batch).padStart(6, '0')}` }),
  sendBatchPrefix: 'BATCH#',
  sendSegment: (digestId: string, segment: number) => ({ [PK]: `DIGEST#${digestId}`, [SK]: `SEGMENT#${String(segment).padStart(2, '0')}` }),
  sendSegmentPrefix: 'SEGMENT#',
  digestPartition: (digestId: string) => `DIGEST#${digestId}`,
  subscriber: (id: string) => ({ [PK]: `SUBSCRIBER#${id}`, [SK]: 'SUBSCRIBER' }),
  confirmedSubscribers: 'SUBSCRIBERS#confirmed',
  rateWindow: (key: string, windowStart: number) => ({ [PK]: `RATE#${key}`, [SK]: String(windowStart) }),
  mailClaim: (mailId: string) => ({ [PK]: `MAIL#${mailId}`, [SK]: 'MAIL' }),
  readerMark: (subscriberId: string) => ({ [PK]: `SUBSCRIBER#${subscriberId}`, [SK]: 'MARK' }),
  articleOffer: (articleId: string) => ({ [PK]: `OFFER#${articleId}`, [SK]: 'OFFER' }),
  roundState: { [PK]: 'STATE', [SK]: 'rounds' },
} as const;

/** The attribute DynamoDB's TTL reads (epoch seconds); the table must have TTL enabled on it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The sortable form of a date: fixed-width UTC ISO, so string order is time order. */
export function sortableIso(value: string | Date, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new PressrunError('invalid', `Not a date: ${String(value)}`, [{ field, message: 'must be an RFC 3339 date' }]);
  return date.toISOString();
}

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PK, AttributeType: 'S' },
      { AttributeName: SK, AttributeType: 'S' },
      { AttributeName: GSI1_PK, AttributeType: 'S' },
      { AttributeName: GSI1_SK, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PK, KeyType: 'HASH' },
      { AttributeName: SK, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1,
        KeySchema: [
          { AttributeName: GSI1_PK, KeyType: 'HASH' },
          { AttributeName: GSI1_SK, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** Creates the table when it is missing and waits until it and its indexes are ACTIVE (the document client passes table commands through). */
export async function ensureTable(client: DynamoDBDocumentClient, tableName: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let table = await describe(client, tableName);
  if (!table) {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (error) {
      // Another process created it first: wait for theirs.
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
  }
  for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
    table = await describe(client, tableName);
    if (table && isActive(table)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `DynamoDB table ${tableName} is not ACTIVE after ${options.timeoutMs ?? 120_000} ms (status ${table?.TableStatus ?? 'missing'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function describe(client: DynamoDBDocumentClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

function isActive(table: TableDescription): boolean {
  return table.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
}
