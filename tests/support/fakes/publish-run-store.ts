/** Publish runs in memory, held to DynamoPublishRunStore by tests/support/contracts/publish-run-store.contract.ts. */
import { PressrunError } from '../../../functions/core/errors.js';
import type { PublishRun, PublishRunStore } from '../../../functions/core/publish/ports.js';

export class InMemoryPublishRunStore implements PublishRunStore {
  private readonly runs = new Map<string, PublishRun>();
  private lastSuccess: string | undefined;

  async create(run: PublishRun): Promise<void> {
    if (this.runs.has(run.id)) {
      throw new PressrunError('conflict', `A publish run with id "${run.id}" already exists`, [
        { field: 'id', message: 'is already taken' },
      ]);
    }
    this.runs.set(run.id, withoutUndefined(run));
  }

  async get(id: string): Promise<PublishRun | undefined> {
    const run = this.runs.get(id);
    return run && structuredClone(run);
  }

  /** Replaces the whole run: a field the update lacks is gone. */
  async update(run: PublishRun): Promise<void> {
    if (!this.runs.has(run.id)) throw new PressrunError('not-found', `No publish run with id "${run.id}"`);
    this.runs.set(run.id, withoutUndefined(run));
  }

  async unfinished(): Promise<PublishRun[]> {
    return [...this.runs.values()]
      .filter((run) => run.status === 'queued' || run.status === 'running')
      .sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0))
      .map((run) => structuredClone(run));
  }

  async redrive(id: string, now: Date): Promise<boolean> {
    const run = this.runs.get(id);
    if (run?.status !== 'queued') return false;
    this.redriven.push(id);
    run.redrivenAt = now.toISOString();
    return true;
  }

  /** The runs written anew by redrive(), in order: what a stream would have delivered again. */
  readonly redriven: string[] = [];

  async lastSucceededAt(): Promise<string | undefined> {
    return this.lastSuccess;
  }

  /** Only ever forward: a slow run finishing after a newer one must not move the clock back. */
  async setLastSucceededAt(at: string): Promise<void> {
    if (this.lastSuccess === undefined || this.lastSuccess < at) this.lastSuccess = at;
  }
}

function withoutUndefined(run: PublishRun): PublishRun {
  const copy = structuredClone(run);
  for (const name of Object.keys(copy) as Array<keyof PublishRun>) {
    if (copy[name] === undefined) delete copy[name];
  }
  return copy;
}
