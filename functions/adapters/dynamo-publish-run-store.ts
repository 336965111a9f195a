/** Publish runs and the time of the last successful publish. Key layout: dynamo-table.ts. */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PressrunError } from '../core/errors.js';
import type { PublishReport, PublishRun, PublishRunStore } from '../core/publish/ports.js';
import { packJson, unpackJson, utf8Bytes } from './compressed-json.js';
import { isConditionalCheckFailed, putIfAbsent, queryPages, type Item } from './dynamo-requests.js';
import { keys, PK, SK } from './dynamo-table.js';

/**
 * A full rebuild of a large site lists thousands of keys in its report, which can pass
 * DynamoDB's 400 KB item limit; above this size the report is stored gzipped.
 */
export const COMPRESS_REPORT_ABOVE_BYTES = 64 * 1024;
/**
 * What a compressed report may take of the item (the rest of the run is small). A full publish of
 * about 100,000 articles comes near it (5–8 MB of keys, 300–400 KB compressed, depending on the
 * slugs); above it the report keeps its counts and the first keys of each list.
 */
const MAX_REPORT_BYTES = 300 * 1024;
const KEYS_KEPT_WHEN_ABBREVIATED = 2_000;

export class DynamoPublishRunStore implements PublishRunStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(run: PublishRun): Promise<void> {
    // Listed as unfinished before it exists: a crash in between leaves a listing that unfinished() skips.
    if (!finished(run)) await this.listUnfinished(run);
    if (!(await putIfAbsent(this.doc, this.tableName, toItem(run)))) {
      throw new PressrunError('conflict', `A publish run with id "${run.id}" already exists`, [
        { field: 'id', message: 'is already taken' },
      ]);
    }
  }

  async get(id: string): Promise<PublishRun | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.publishRun(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async update(run: PublishRun): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(run),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      throw new PressrunError('not-found', `No publish run with id "${run.id}"`);
    }
    if (finished(run)) await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.unfinishedRun(run.id) }));
    else await this.listUnfinished(run);
  }

  async unfinished(): Promise<PublishRun[]> {
    const runs: PublishRun[] = [];
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': keys.unfinishedRunsPartition },
      ConsistentRead: true,
    })) {
      const found = await Promise.all(items.map((item) => this.get(item[SK] as string)));
      runs.push(...found.filter((run): run is PublishRun => run !== undefined && !finished(run)));
    }
    return runs.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0));
  }

  /** A delete and a put: the stream sees a new INSERT of a queued run, which its filter lets through. */
  async redrive(id: string, now: Date): Promise<boolean> {
    const run = await this.get(id);
    if (run?.status !== 'queued') return false;
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.publishRun(id),
          // Only the version read: a publish that started it meanwhile wins.
          ConditionExpression: '#status = :queued AND #requested = :requested',
          ExpressionAttributeNames: { '#status': 'status', '#requested': 'requestedAt' },
          ExpressionAttributeValues: { ':queued': 'queued', ':requested': run.requestedAt },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
    return putIfAbsent(this.doc, this.tableName, toItem({ ...run, redrivenAt: now.toISOString() }));
  }

  private async listUnfinished(run: PublishRun): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.unfinishedRun(run.id), requestedAt: run.requestedAt } }),
    );
  }

  async lastSucceededAt(): Promise<string | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.publishState, ConsistentRead: true }));
    return Item?.lastSucceededAt as string | undefined;
  }

  async setLastSucceededAt(at: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.publishState,
          UpdateExpression: 'SET #at = :at',
          // A slow run finishing after a newer one must not move the clock back.
          ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
          ExpressionAttributeNames: { '#at': 'lastSucceededAt' },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}

function toItem(run: PublishRun): Item {
  const { report, ...rest } = run;
  if (report === undefined) return { ...keys.publishRun(run.id), ...rest };
  return { ...keys.publishRun(run.id), ...rest, ...storedReport(report) };
}

/** The report as it fits an item: as it is, compressed, or compressed with its lists cut to their first keys. */
function storedReport(report: PublishReport): { report: PublishReport } | { reportGzip: Uint8Array } {
  if (utf8Bytes(JSON.stringify(report)) <= COMPRESS_REPORT_ABOVE_BYTES) return { report };
  const packed = packJson(report);
  if (packed.byteLength <= MAX_REPORT_BYTES) return { reportGzip: packed };
  const { written, deleted } = report;
  return {
    reportGzip: packJson({
      ...report,
      written: written.slice(0, KEYS_KEPT_WHEN_ABBREVIATED),
      deleted: deleted.slice(0, KEYS_KEPT_WHEN_ABBREVIATED),
      listed: report.listed ?? { written: written.length, deleted: deleted.length },
    }),
  };
}

function fromItem(item: Item): PublishRun {
  const run: PublishRun = {
    id: item.id as string,
    status: item.status as PublishRun['status'],
    requestedAt: item.requestedAt as string,
    full: item.full as boolean | undefined,
    startedAt: item.startedAt as string | undefined,
    finishedAt: item.finishedAt as string | undefined,
    report: item.reportGzip instanceof Uint8Array ? unpackJson<PublishReport>(item.reportGzip) : (item.report as PublishReport | undefined),
    error: item.error as string | undefined,
    redrivenAt: item.redrivenAt as string | undefined,
    fannedOutAt: item.fannedOutAt as string | undefined,
    progress: item.progress as PublishRun['progress'],
  };
  for (const name of Object.keys(run) as Array<keyof PublishRun>) {
    if (run[name] === undefined) delete run[name];
  }
  return run;
}

const finished = (run: PublishRun) => run.status === 'succeeded' || run.status === 'failed';
