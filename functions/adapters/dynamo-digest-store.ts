/**
 * Digests, written once and never changed, ordered by cutoff through gsi1. Key layout:
 * dynamo-table.ts. The send ledger of a digest can live in the same partition (DIGEST#<id>).
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Digest, DigestStore } from '../core/digest/ports.js';
import { putIfAbsent, queryPages, type Item } from './dynamo-requests.js';
import { GSI1, GSI1_PK, GSI1_SK, keys, sortableIso } from './dynamo-table.js';

type DigestSummary = Omit<Digest, 'html' | 'text'>;

/** How long a content rendered for some readers of a send is kept (DynamoDB TTL): longer than any send runs or waits stopped. */
export const CONTENT_DAYS = 60;
const SUMMARY_FIELDS = ['id', 'createdAt', 'cutoff', 'articleSlugs', 'articleIds', 'subject', 'preheader', 'kind', 'format'] as const;

export class DynamoDigestStore implements DigestStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(digest: Digest): Promise<Digest> {
    // A send's content is no digest of the site: out of the index the archive and `latest` read, and
    // kept only as long as its send may still be resumed (a round makes a thousand of them a day).
    const listed =
      digest.kind === 'content'
        ? { expiresAt: Math.floor(Date.parse(digest.createdAt) / 1000) + CONTENT_DAYS * 86_400 }
        : { [GSI1_PK]: keys.digestsByCutoff, [GSI1_SK]: keys.digestCutoffSort(sortableIso(digest.cutoff, 'cutoff'), digest.id) };
    const item = { ...keys.digest(digest.id), ...listed, ...pick(digest, [...SUMMARY_FIELDS, 'html', 'text']) };
    if (await putIfAbsent(this.doc, this.tableName, item)) return pick(digest, [...SUMMARY_FIELDS, 'html', 'text']);
    // Rendered before by a run that crashed or raced us: the first one stands.
    const existing = await this.get(digest.id);
    if (!existing) throw new Error(`Digest ${digest.id} exists and cannot be read back`);
    return existing;
  }

  async get(id: string): Promise<Digest | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.digest(id), ConsistentRead: true }));
    return Item ? pick(Item as unknown as Digest, [...SUMMARY_FIELDS, 'html', 'text']) : undefined;
  }

  async latest(): Promise<Digest | undefined> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1_PK },
        ExpressionAttributeValues: { ':pk': keys.digestsByCutoff },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const newest = Items?.[0];
    return newest ? pick(newest as unknown as Digest, [...SUMMARY_FIELDS, 'html', 'text']) : undefined;
  }

  async list(): Promise<DigestSummary[]> {
    const digests: DigestSummary[] = [];
    const names = Object.fromEntries(SUMMARY_FIELDS.map((field, i) => [`#f${i}`, field]));
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: '#pk = :pk',
      // Bodies are most of a digest's size; leave them on the server.
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: { '#pk': GSI1_PK, ...names },
      ExpressionAttributeValues: { ':pk': keys.digestsByCutoff },
      ScanIndexForward: false,
    })) {
      digests.push(...items.map((item: Item) => pick(item as unknown as DigestSummary, SUMMARY_FIELDS)));
    }
    return digests;
  }
}

function pick<T extends object, K extends keyof T>(source: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined).map((field) => [field, source[field]])) as Pick<T, K>;
}
