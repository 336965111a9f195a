/**
 * A fanned-out publish's plan and chunks, in its run's partition (key layout: dynamo-table.ts).
 * A chunk's result (every key it wrote) is gzipped: a chunk of 1,000 articles names over
 * 1,000 keys. Which chunks of a wave landed is a string set on the wave's item: adding a chunk
 * twice changes nothing, and the answer says whether the set is whole, so a chunk received
 * again after its invocation died still starts the next wave.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  wavesOf,
  type ChunkRecord,
  type FannedOutPlan,
  type PublishChunkStore,
  type StoredChunkSpec,
} from '../core/publish/fan-out-ports.js';
import type { ChunkResult } from '../core/publish/full-context.js';
import { packJson, unpackJson } from './compressed-json.js';
import { batchWrite, isConditionalCheckFailed, queryPages, type Item } from './dynamo-requests.js';
import { keys, PK, SK, TTL_ATTRIBUTE } from './dynamo-table.js';

/** Kept a month after the publish, to read its chunks' report; then DynamoDB's TTL removes them. */
const KEEP_SECONDS = 30 * 86_400;

export class DynamoPublishChunkStore implements PublishChunkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async savePlan(plan: FannedOutPlan, chunks: StoredChunkSpec[]): Promise<void> {
    const planKey = keys.fanOutPlan(plan.runId, plan.generation);
    // Nothing lands before the plan is stored whole, so a plan already there means its chunks may hold results: keep them.
    if ((await this.doc.send(new GetCommand({ TableName: this.tableName, Key: planKey, ConsistentRead: true }))).Item) return;
    const expiresAt = Math.floor(this.clock().getTime() / 1000) + KEEP_SECONDS;
    const waves = wavesOf(plan);
    const waveOf = new Map(waves.flatMap((ids, wave) => ids.map((id) => [id, wave] as const)));
    await batchWrite(this.doc, this.tableName, [
      ...chunks.map((spec) => ({
        PutRequest: {
          Item: {
            ...keys.fanOutChunk(plan.runId, plan.generation, spec.id),
            spec: packJson(spec),
            wave: waveOf.get(spec.id)!,
            attempts: 0,
            [TTL_ATTRIBUTE]: expiresAt,
          },
        },
      })),
      ...waves.map((ids, wave) => ({
        PutRequest: { Item: { ...keys.fanOutWave(plan.runId, plan.generation, wave), total: ids.length, [TTL_ATTRIBUTE]: expiresAt } },
      })),
    ]);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...planKey, plan: packJson(plan), [TTL_ATTRIBUTE]: expiresAt },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async plan(runId: string, generation: number): Promise<FannedOutPlan | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.fanOutPlan(runId, generation), ConsistentRead: true }),
    );
    return Item ? unpackJson<FannedOutPlan>(Item.plan as Uint8Array) : undefined;
  }

  async spec(runId: string, generation: number, chunk: string): Promise<StoredChunkSpec | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.fanOutChunk(runId, generation, chunk), ConsistentRead: true }),
    );
    return Item ? unpackJson<StoredChunkSpec>(Item.spec as Uint8Array) : undefined;
  }

  async land(runId: string, generation: number, wave: number, chunk: string, result: ChunkResult): Promise<{ waveLanded: boolean }> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.fanOutChunk(runId, generation, chunk),
        UpdateExpression: 'SET #result = :result ADD attempts :one',
        ExpressionAttributeNames: { '#result': 'result' },
        ExpressionAttributeValues: { ':result': packJson(result), ':one': 1 },
      }),
    );
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.fanOutWave(runId, generation, wave),
        UpdateExpression: 'ADD landed :chunk',
        ExpressionAttributeValues: { ':chunk': new Set([chunk]) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { waveLanded: (Attributes?.landed as Set<string>).size >= (Attributes?.total as number) };
  }

  async failed(runId: string, generation: number, chunk: string, error: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.fanOutChunk(runId, generation, chunk),
          UpdateExpression: 'SET lastError = :error ADD attempts :one',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':error': error.slice(0, 1000), ':one': 1 },
        }),
      )
      .catch((failure: unknown) => {
        if (!isConditionalCheckFailed(failure)) throw failure;
      });
  }

  async chunks(runId: string, generation: number): Promise<ChunkRecord[]> {
    const records: ChunkRecord[] = [];
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': keys.fanOutPlan(runId, generation)[PK], ':prefix': keys.fanOutChunkPrefix(generation) },
      ConsistentRead: true,
    }))
      records.push(...items.map(toRecord));
    return records;
  }
}

function toRecord(item: Item): ChunkRecord {
  return {
    spec: unpackJson<StoredChunkSpec>(item.spec as Uint8Array),
    wave: item.wave as number,
    attempts: item.attempts as number,
    ...(item.result ? { result: unpackJson<ChunkResult>(item.result as Uint8Array) } : {}),
    ...(typeof item.lastError === 'string' ? { lastError: item.lastError } : {}),
  };
}
