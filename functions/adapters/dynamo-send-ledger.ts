/**
 * The send ledger of a digest: a job item and one item per batch, in the digest's
 * partition. Every change is one conditional write on one item: the claim is the lock, and
 * each later write names the claim it holds. Key layout: dynamo-table.ts.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { emptyTally, FINAL_STATUSES, stateOf, tallyOf } from '../core/delivery/batch-state.js';
import { conflict } from '../core/errors.js';
import type {
  BatchState,
  RecipientResult,
  RecipientStatus,
  SendBatch,
  SendBatchRef,
  SendCounts,
  SendJob,
  SendLedger,
  SendRecipient,
  SnapshotTotals,
} from '../core/delivery/ports.js';
import { isConditionalCheckFailed, putIfAbsent, queryPages, type Item } from './dynamo-requests.js';
import { keys, PK, SK } from './dynamo-table.js';

const iso = (date: Date) => date.toISOString();

export class DynamoSendLedger implements SendLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async openJob(digestId: string, owner: string, now: Date, leaseUntil: Date, segment?: number): Promise<{ job: SendJob; owned: boolean }> {
    const job: SendJob = {
      digestId,
      ...(segment === undefined ? {} : { segment }),
      status: 'snapshotting',
      createdAt: iso(now),
      updatedAt: iso(now),
      owner,
      leaseUntil: iso(leaseUntil),
    };
    if (await putIfAbsent(this.doc, this.tableName, { ...snapshotKey(digestId, segment), ...job })) return { job, owned: true };
    const existing = (await this.getSnapshot(digestId, segment))!;
    if (existing.status !== 'snapshotting' || existing.leaseUntil > iso(now)) return { job: existing, owned: false };
    // The snapshot's owner went quiet: take it over, unless someone else just did.
    const taken = await this.update(
      {
        Key: snapshotKey(digestId, segment),
        UpdateExpression: 'SET #owner = :owner, #lease = :lease, #updated = :now',
        ConditionExpression: '#owner = :previous AND #status = :snapshotting',
        ExpressionAttributeNames: { '#owner': 'owner', '#lease': 'leaseUntil', '#updated': 'updatedAt', '#status': 'status' },
        ExpressionAttributeValues: {
          ':owner': owner,
          ':lease': iso(leaseUntil),
          ':now': iso(now),
          ':previous': existing.owner,
          ':snapshotting': 'snapshotting',
        },
      },
      false,
    );
    return taken ? { job: toJob(taken), owned: true } : { job: (await this.getSnapshot(digestId, segment))!, owned: false };
  }

  async pauseSnapshot(digestId: string, owner: string, cursor: string, now: Date, segment?: number): Promise<void> {
    const item = await this.update(
      {
        Key: snapshotKey(digestId, segment),
        UpdateExpression: 'SET #cursor = :cursor, #lease = :now, #updated = :now',
        ConditionExpression: '#owner = :owner AND #status = :snapshotting',
        ExpressionAttributeNames: {
          '#cursor': 'cursor',
          '#lease': 'leaseUntil',
          '#updated': 'updatedAt',
          '#owner': 'owner',
          '#status': 'status',
        },
        ExpressionAttributeValues: { ':cursor': cursor, ':now': iso(now), ':owner': owner, ':snapshotting': 'snapshotting' },
      },
      false,
    );
    if (!item) throw lostSnapshot(digestId);
  }

  async getJob(digestId: string): Promise<SendJob | undefined> {
    return this.getSnapshot(digestId);
  }

  private async getSnapshot(digestId: string, segment?: number): Promise<SendJob | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: snapshotKey(digestId, segment), ConsistentRead: true }),
    );
    return Item ? toJob(Item) : undefined;
  }

  async splitSnapshot(digestId: string, owner: string, segments: number, now: Date): Promise<SendJob> {
    const item = await this.update(
      {
        Key: keys.sendJob(digestId),
        UpdateExpression: 'SET #segments = :segments, #lease = :now, #updated = :now',
        ConditionExpression: '#owner = :owner AND #status = :snapshotting',
        ExpressionAttributeNames: {
          '#segments': 'segments',
          '#lease': 'leaseUntil',
          '#updated': 'updatedAt',
          '#owner': 'owner',
          '#status': 'status',
        },
        ExpressionAttributeValues: { ':segments': segments, ':now': iso(now), ':owner': owner, ':snapshotting': 'snapshotting' },
      },
      false,
    );
    if (!item) throw lostSnapshot(digestId);
    return toJob(item);
  }

  async segments(digestId: string): Promise<SendJob[]> {
    const segments: SendJob[] = [];
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': keys.digestPartition(digestId), ':prefix': keys.sendSegmentPrefix },
      ConsistentRead: true,
    })) {
      segments.push(...items.map(toJob));
    }
    return segments;
  }

  async completeSnapshot(digestId: string, owner: string, totals: SnapshotTotals, now: Date, segment?: number): Promise<SendJob> {
    const ids: Record<string, string> = totals.contentIds === undefined ? {} : { '#contentIds': 'contentIds' };
    const item = await this.update(
      {
        Key: snapshotKey(digestId, segment),
        UpdateExpression: `SET #status = :queued, #recipients = :recipients, #batches = :batches, #contents = :contents, #updated = :now${totals.contentIds === undefined ? '' : ', #contentIds = :contentIds'}`,
        ConditionExpression: '#owner = :owner AND #status = :snapshotting',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#recipients': 'recipients',
          '#batches': 'batches',
          '#contents': 'contents',
          '#updated': 'updatedAt',
          '#owner': 'owner',
          ...ids,
        },
        ExpressionAttributeValues: {
          ':queued': 'queued',
          ':recipients': totals.recipients,
          ':batches': totals.batches,
          ':contents': totals.contents ?? totals.contentIds?.length ?? 1,
          ...(totals.contentIds === undefined ? {} : { ':contentIds': totals.contentIds }),
          ':now': iso(now),
          ':owner': owner,
          ':snapshotting': 'snapshotting',
        },
      },
      false,
    );
    if (!item) throw lostSnapshot(digestId);
    return toJob(item);
  }

  async addBatch(batch: { digestId: string; batch: number; recipients: SendRecipient[] }): Promise<void> {
    const item: Item = {
      ...keys.sendBatch(batch.digestId, batch.batch),
      digestId: batch.digestId,
      batch: batch.batch,
      status: 'pending',
      recipients: batch.recipients,
      results: {},
      claims: 0,
      // Kept beside the recipients so a send's progress is read without them (batchStates).
      size: batch.recipients.length,
    };
    if (!(await putIfAbsent(this.doc, this.tableName, item))) {
      throw conflict(`Batch ${batch.batch} of digest "${batch.digestId}" exists`, [
        { field: 'batch', message: 'is already in the ledger' },
      ]);
    }
  }

  async stopJob(digestId: string, reason: string, now: Date): Promise<void> {
    await this.update(
      {
        Key: keys.sendJob(digestId),
        UpdateExpression: 'SET #stopped = :stopped, #updated = :now',
        ConditionExpression: 'attribute_exists(#status) AND attribute_not_exists(#stopped)',
        ExpressionAttributeNames: { '#stopped': 'stopped', '#updated': 'updatedAt', '#status': 'status' },
        ExpressionAttributeValues: { ':stopped': { reason, at: iso(now) }, ':now': iso(now) },
      },
      true,
    );
  }

  /** The baseline is copied from the counts in the same write, so no count slips between them. */
  async resumeJob(digestId: string, now: Date): Promise<void> {
    const names: Record<string, string> = { '#stopped': 'stopped', '#updated': 'updatedAt' };
    const copies = COUNTED.map((key, i) => {
      names[`#c${i}`] = COUNT_ATTRIBUTES[key];
      names[`#b${i}`] = BASELINE_ATTRIBUTES[key];
      return `#b${i} = if_not_exists(#c${i}, :zero)`;
    });
    await this.update(
      {
        Key: keys.sendJob(digestId),
        UpdateExpression: `SET #updated = :now, ${copies.join(', ')} REMOVE #stopped`,
        ConditionExpression: 'attribute_exists(#stopped)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':now': iso(now), ':zero': 0 },
      },
      true,
    );
  }

  /** One ADD of top-level numbers (ADD cannot reach into a map), only on a job that exists. */
  async count(digestId: string, add: Partial<SendCounts>): Promise<void> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, number> = {};
    const adds = COUNTED.flatMap((key, i) => {
      const n = add[key];
      if (!n) return [];
      names[`#c${i}`] = COUNT_ATTRIBUTES[key];
      values[`:c${i}`] = n;
      return [`#c${i} :c${i}`];
    });
    if (adds.length === 0) return;
    await this.update(
      {
        Key: keys.sendJob(digestId),
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ConditionExpression: 'attribute_exists(#status)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      true,
    );
  }

  async getBatch(ref: SendBatchRef): Promise<SendBatch | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.sendBatch(ref.digestId, ref.batch), ConsistentRead: true }),
    );
    return Item ? toBatch(Item) : undefined;
  }

  async batches(digestId: string, range?: { first: number; last: number }): Promise<SendBatch[]> {
    const batches: SendBatch[] = [];
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :first AND :last' : '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: {
        ':pk': keys.digestPartition(digestId),
        ...(range
          ? { ':first': keys.sendBatch(digestId, range.first)[SK], ':last': keys.sendBatch(digestId, range.last)[SK] }
          : { ':prefix': keys.sendBatchPrefix }),
      },
      ConsistentRead: true,
    })) {
      batches.push(...items.map(toBatch));
    }
    return batches;
  }

  async batchStates(digestId: string): Promise<BatchState[]> {
    const states: BatchState[] = [];
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ProjectionExpression: ['#batch', '#status', '#lease', '#size', ...Object.values(TALLY_ATTRIBUTES)].join(', '),
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#batch': 'batch', '#status': 'status', '#lease': 'leaseUntil', '#size': 'size' },
      ExpressionAttributeValues: { ':pk': keys.digestPartition(digestId), ':prefix': keys.sendBatchPrefix },
      ConsistentRead: true,
    })) {
      states.push(...(await Promise.all(items.map((item) => this.stateOf(digestId, item)))));
    }
    return states;
  }

  /** A batch written before batches kept their size and tally is counted from its results, read whole. */
  private async stateOf(digestId: string, item: Item): Promise<BatchState> {
    if (typeof item.size !== 'number') {
      const whole = await this.getBatch({ digestId, batch: item.batch as number });
      if (whole) return stateOf(whole);
    }
    const tally = emptyTally();
    for (const status of FINAL_STATUSES) tally[status] = (item[TALLY_ATTRIBUTES[status]] as number | undefined) ?? 0;
    const state: BatchState = {
      batch: item.batch as number,
      status: item.status as BatchState['status'],
      size: item.size as number,
      tally,
    };
    if (typeof item.leaseUntil === 'string') state.leaseUntil = item.leaseUntil;
    return state;
  }

  async claim(ref: SendBatchRef, claimId: string, now: Date, leaseUntil: Date): Promise<SendBatch | undefined> {
    const item = await this.update(
      {
        Key: keys.sendBatch(ref.digestId, ref.batch),
        UpdateExpression: 'SET #status = :sending, #claim = :claim, #lease = :lease ADD #claims :one',
        // ISO timestamps of one width compare as strings in time order.
        ConditionExpression: 'attribute_exists(#pk) AND (#status = :pending OR (#status = :sending AND #lease <= :now))',
        ExpressionAttributeNames: { '#pk': PK, '#status': 'status', '#claim': 'claimId', '#lease': 'leaseUntil', '#claims': 'claims' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':pending': 'pending',
          ':claim': claimId,
          ':lease': iso(leaseUntil),
          ':now': iso(now),
          ':one': 1,
        },
      },
      false,
    );
    return item ? toBatch(item) : undefined;
  }

  async markAttempting(ref: SendBatchRef, claimId: string, recipientIds: string[], now: Date, leaseUntil: Date): Promise<void> {
    const attempting: RecipientResult = { status: 'attempting', at: iso(now) };
    await this.holding(ref, claimId, {
      set: [...recipientIds.map((id) => [id, attempting] as const)],
      remove: [],
      extra: { '#lease': ['leaseUntil', iso(leaseUntil)] },
    });
  }

  async recordAndMark(
    ref: SendBatchRef,
    claimId: string,
    previous: { results: Record<string, RecipientResult>; notSent: string[] },
    recipientIds: string[],
    now: Date,
    leaseUntil: Date,
  ): Promise<void> {
    const attempting: RecipientResult = { status: 'attempting', at: iso(now) };
    await this.holding(ref, claimId, {
      set: [...Object.entries(previous.results), ...recipientIds.map((id) => [id, attempting] as const)],
      remove: previous.notSent,
      extra: { '#lease': ['leaseUntil', iso(leaseUntil)] },
    });
  }

  async record(ref: SendBatchRef, claimId: string, results: Record<string, RecipientResult>, notSent: string[] = []): Promise<void> {
    if (Object.keys(results).length === 0 && notSent.length === 0) return;
    await this.holding(ref, claimId, { set: Object.entries(results), remove: notSent, extra: {} });
  }

  async finish(ref: SendBatchRef, claimId: string, last?: { results: Record<string, RecipientResult>; notSent: string[] }): Promise<void> {
    if (!last || (Object.keys(last.results).length === 0 && last.notSent.length === 0)) return this.transition(ref, claimId, 'sent');
    // The last results and the end of the claim in one write: one request a batch fewer.
    await this.holding(ref, claimId, {
      set: Object.entries(last.results),
      remove: last.notSent,
      extra: { '#status': ['status', 'sent'] },
      ends: true,
    });
  }

  async release(ref: SendBatchRef, claimId: string): Promise<void> {
    await this.transition(ref, claimId, 'pending');
  }

  private async transition(ref: SendBatchRef, claimId: string, status: 'sent' | 'pending'): Promise<void> {
    const item = await this.update(
      {
        Key: keys.sendBatch(ref.digestId, ref.batch),
        UpdateExpression: 'SET #status = :status REMOVE #claim, #lease',
        ConditionExpression: '#status = :sending AND #claim = :claim',
        ExpressionAttributeNames: { '#status': 'status', '#claim': 'claimId', '#lease': 'leaseUntil' },
        ExpressionAttributeValues: { ':status': status, ':sending': 'sending', ':claim': claimId },
      },
      // Only whether it held: the batch's recipients and results need not come back.
      true,
    );
    if (!item) throw lostClaim(ref);
  }

  /** An update of a batch's results, only while `claimId` still holds it. */
  private async holding(
    ref: SendBatchRef,
    claimId: string,
    change: {
      set: ReadonlyArray<readonly [string, RecipientResult]>;
      remove: string[];
      extra: Record<string, [string, string]>;
      /** The claim ends with this write (finish): its id and lease are removed. */
      ends?: boolean;
    },
  ): Promise<void> {
    const names: Record<string, string> = { '#status': 'status', '#claim': 'claimId', '#results': 'results' };
    const values: Record<string, unknown> = { ':sending': 'sending', ':claim': claimId };
    const sets: string[] = [];
    const removes: string[] = [];
    change.set.forEach(([id, result], i) => {
      names[`#r${i}`] = id;
      values[`:r${i}`] = result;
      sets.push(`#results.#r${i} = :r${i}`);
    });
    change.remove.forEach((id, i) => {
      names[`#n${i}`] = id;
      removes.push(`#results.#n${i}`);
    });
    for (const [placeholder, [name, value]] of Object.entries(change.extra)) {
      names[placeholder] = name;
      values[`:${name}`] = value;
      sets.push(`${placeholder} = :${name}`);
    }
    if (change.ends) {
      names['#lease'] = 'leaseUntil';
      removes.push('#claim', '#lease');
    }
    // Each final result is written once, by the claim that holds the batch: counted in the same write, the tally never drifts.
    const adds = tallyAdditions(change.set, names, values);
    const expression = updateExpression({ SET: sets, REMOVE: removes, ADD: adds });
    const item = await this.update(
      {
        Key: keys.sendBatch(ref.digestId, ref.batch),
        UpdateExpression: expression,
        ConditionExpression: '#status = :sending AND #claim = :claim',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      true,
    );
    if (!item) throw lostClaim(ref);
  }

  /** The item after the update, or undefined when its condition failed. */
  private async update(input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>, quiet: boolean): Promise<Item | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({ ...input, TableName: this.tableName, ReturnValues: quiet ? 'NONE' : 'ALL_NEW' }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}

/** An UpdateExpression of the clauses that have parts. */
function updateExpression(clauses: Record<'SET' | 'REMOVE' | 'ADD', string[]>): string {
  return Object.entries(clauses)
    .filter(([, parts]) => parts.length > 0)
    .map(([verb, parts]) => `${verb} ${parts.join(', ')}`)
    .join(' ');
}

/** `ADD` clauses that count the final results among `set` into the batch's tally, their names and values added. */
function tallyAdditions(
  set: ReadonlyArray<readonly [string, RecipientResult]>,
  names: Record<string, string>,
  values: Record<string, unknown>,
): string[] {
  return Object.entries(tallyOf(set.map(([, result]) => result)))
    .filter(([, n]) => n > 0)
    .map(([status, n]) => {
      names[`#t${status}`] = TALLY_ATTRIBUTES[status as RecipientStatus];
      values[`:t${status}`] = n;
      return `#t${status} :t${status}`;
    });
}

/** The job's snapshot, or a segment's. */
const snapshotKey = (digestId: string, segment?: number) =>
  segment === undefined ? keys.sendJob(digestId) : keys.sendSegment(digestId, segment);

function lostSnapshot(digestId: string) {
  return conflict(`Another caller took over the snapshot of digest "${digestId}"`, [
    { field: 'owner', message: 'no longer owns the snapshot' },
  ]);
}

function lostClaim(ref: SendBatchRef) {
  return conflict(`Batch ${ref.batch} of digest "${ref.digestId}" is no longer held by this worker`, [
    { field: 'claimId', message: 'was taken over after its lease ran out' },
  ]);
}

function toJob(item: Item): SendJob {
  const job: SendJob = {
    digestId: item.digestId as string,
    status: item.status as SendJob['status'],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    owner: item.owner as string,
    leaseUntil: item.leaseUntil as string,
  };
  if (typeof item.recipients === 'number') job.recipients = item.recipients;
  if (typeof item.batches === 'number') job.batches = item.batches;
  if (typeof item.cursor === 'string') job.cursor = item.cursor;
  if (typeof item.contents === 'number') job.contents = item.contents;
  if (typeof item.segment === 'number') job.segment = item.segment;
  if (typeof item.segments === 'number') job.segments = item.segments;
  if (Array.isArray(item.contentIds)) job.contentIds = item.contentIds as string[];
  if (item.stopped) job.stopped = item.stopped as NonNullable<SendJob['stopped']>;
  const counts = countsOf(item, COUNT_ATTRIBUTES);
  if (counts) job.counts = counts;
  const baseline = countsOf(item, BASELINE_ATTRIBUTES);
  if (baseline) job.baseline = baseline;
  return job;
}

/** A batch's results counted by status, as top-level numbers beside them. */
const TALLY_ATTRIBUTES: Record<RecipientStatus, string> = {
  sent: 'tallySent',
  failed: 'tallyFailed',
  suppressed: 'tallySuppressed',
  unknown: 'tallyUnknown',
};

const COUNTED = ['sent', 'bounces', 'complaints'] as const;
const COUNT_ATTRIBUTES: Record<keyof SendCounts, string> = { sent: 'sentCount', bounces: 'bounceCount', complaints: 'complaintCount' };
const BASELINE_ATTRIBUTES: Record<keyof SendCounts, string> = {
  sent: 'baselineSent',
  bounces: 'baselineBounces',
  complaints: 'baselineComplaints',
};

/** Counts kept as top-level numbers; undefined when none was ever written. */
function countsOf(item: Item, attributes: Record<keyof SendCounts, string>): SendCounts | undefined {
  if (!COUNTED.some((key) => typeof item[attributes[key]] === 'number')) return undefined;
  const read = (key: keyof SendCounts) => (item[attributes[key]] as number | undefined) ?? 0;
  return { sent: read('sent'), bounces: read('bounces'), complaints: read('complaints') };
}

function toBatch(item: Item): SendBatch {
  const batch: SendBatch = {
    digestId: item.digestId as string,
    batch: item.batch as number,
    status: item.status as SendBatch['status'],
    recipients: item.recipients as SendRecipient[],
    results: (item.results ?? {}) as Record<string, RecipientResult>,
    claims: (item.claims as number | undefined) ?? 0,
  };
  if (typeof item.claimId === 'string') batch.claimId = item.claimId;
  if (typeof item.leaseUntil === 'string') batch.leaseUntil = item.leaseUntil;
  return batch;
}
