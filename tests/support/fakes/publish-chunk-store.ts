/** PublishChunkStore in memory, with the contract of the DynamoDB one (tests/adapters/publish-chunk-store.contract.ts). */
import {
  wavesOf,
  type ChunkRecord,
  type FannedOutPlan,
  type PublishChunkStore,
  type StoredChunkSpec,
} from '../../../functions/core/publish/fan-out-ports.js';
import type { ChunkResult } from '../../../functions/core/publish/full-context.js';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class InMemoryPublishChunkStore implements PublishChunkStore {
  private readonly plans = new Map<string, FannedOutPlan>();
  private readonly records = new Map<string, Map<string, ChunkRecord>>();
  private readonly landed = new Map<string, Set<string>>();

  async savePlan(plan: FannedOutPlan, chunks: StoredChunkSpec[]): Promise<void> {
    const key = `${plan.runId}/${plan.generation}`;
    if (this.plans.has(key)) return;
    const records = new Map<string, ChunkRecord>();
    wavesOf(plan).forEach((ids, wave) =>
      ids.forEach((id) => records.set(id, { spec: copy(chunks.find((chunk) => chunk.id === id)!), wave, attempts: 0 })),
    );
    this.records.set(key, records);
    this.plans.set(key, copy(plan));
  }

  async plan(runId: string, generation: number): Promise<FannedOutPlan | undefined> {
    const plan = this.plans.get(`${runId}/${generation}`);
    return plan && copy(plan);
  }

  async spec(runId: string, generation: number, chunk: string): Promise<StoredChunkSpec | undefined> {
    const record = this.records.get(`${runId}/${generation}`)?.get(chunk);
    return record && copy(record.spec);
  }

  async land(runId: string, generation: number, wave: number, chunk: string, result: ChunkResult): Promise<{ waveLanded: boolean }> {
    const key = `${runId}/${generation}`;
    const record = this.records.get(key)!.get(chunk)!;
    record.result = copy(result);
    record.attempts++;
    const landed = this.landed.get(`${key}/${wave}`) ?? this.landed.set(`${key}/${wave}`, new Set()).get(`${key}/${wave}`)!;
    landed.add(chunk);
    return { waveLanded: landed.size === wavesOf(this.plans.get(key)!)[wave]!.length };
  }

  async failed(runId: string, generation: number, chunk: string, error: string): Promise<void> {
    const record = this.records.get(`${runId}/${generation}`)?.get(chunk);
    if (!record) return;
    record.attempts++;
    record.lastError = error;
  }

  async chunks(runId: string, generation: number): Promise<ChunkRecord[]> {
    return copy([...(this.records.get(`${runId}/${generation}`)?.values() ?? [])]);
  }
}
