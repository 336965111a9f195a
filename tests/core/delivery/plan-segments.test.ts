/**
 * A send planned in segments, as the send worker plans it in the cloud: the start hands out
 * sixteen segments of the readers, workers plan them in parallel, each queues its own batches,
 * and whoever completes the last one completes the send. Whatever the order, whatever worker
 * dies at whatever step, each reader is planned once, with the email a send planned in one go
 * gives them, and the send is completed once, with its totals.
 */
import { describe, expect, it } from 'vitest';
import { planSegment } from '../../../functions/core/delivery/plan-segments.js';
import { sendProgress } from '../../../functions/core/delivery/progress.js';
import { segmentRange } from '../../../functions/core/delivery/segments.js';
import { startDigestSend, type SendStart, type StartSendDeps } from '../../../functions/core/delivery/start-send.js';
import { seedConfirmed, storeDigest } from '../../support/delivery-data.js';
import { inMemoryDelivery } from '../../support/in-memory-delivery.js';

const DIGEST = '2025-06-01-segments';
const READERS = 300;
const LEASE_MS = 60_000;

/** A plan message on the send queue: the whole send, or one segment. */
type PlanMessage = { segment?: number };

async function sendWithReaders(readers = READERS, segments = 16) {
  let clock = Date.parse('2025-06-01T08:00:00.000Z');
  const harness = inMemoryDelivery({ now: () => new Date(clock) });
  await seedConfirmed(harness.stores.subscribers, readers, 'segments');
  await storeDigest(harness.stores.digests, DIGEST);
  const messages: PlanMessage[] = [{}];
  let ids = 0;
  const deps: StartSendDeps = {
    ...harness.stores,
    rounds: harness.rounds,
    queue: harness.queue,
    now: () => new Date(clock),
    newId: () => `owner-${++ids}`,
    snapshotLeaseMs: LEASE_MS,
    segments,
    planner: { plan: async (_digestId, segment) => void messages.push(segment === undefined ? {} : { segment }) },
  };
  return { harness, deps, messages, later: (ms: number) => (clock += ms) };
}

/** One plan message handled as the send worker handles it: done, or to come again. */
async function handle(deps: StartSendDeps, message: PlanMessage): Promise<'done' | 'again'> {
  const start: SendStart =
    message.segment === undefined ? await startDigestSend(deps, DIGEST) : await planSegment(deps, DIGEST, message.segment);
  return start.paused || start.handedOn || start.job.status === 'queued' ? 'done' : 'again';
}

/** Each reader's planned email, whatever batch it went in. */
async function plannedEmails(harness: ReturnType<typeof inMemoryDelivery>) {
  const batches = await harness.stores.ledger.batches(DIGEST);
  return batches.flatMap((b) => b.recipients.map((r) => `${r.id}:${r.content ?? 'digest'}`)).sort();
}

async function plannedWhole(readers = READERS) {
  const whole = await sendWithReaders(readers);
  const { segments: _none, ...oneProcess } = whole.deps;
  const start = await startDigestSend(oneProcess, DIGEST);
  return { emails: await plannedEmails(whole.harness), job: start.job };
}

describe('a send planned in segments', () => {
  it('cuts the ids into ranges that hold every id once, in order', () => {
    const ranges = Array.from({ length: 16 }, (_, k) => segmentRange(k, 16));
    expect(ranges[0]).toEqual({ before: '3' });
    expect(ranges[15]).toEqual({ from: 'w' });
    for (let k = 1; k < 16; k++) expect(ranges[k]!.from).toBe(ranges[k - 1]!.before);
    expect(() => segmentRange(0, 12)).toThrow(/1, 2, 4, 8, 16, 32 or 64 segments/);
  });

  it('hands out sixteen segments, plans them in parallel, and mails each reader the email one process would', async () => {
    const whole = await plannedWhole();
    const { harness, deps, messages } = await sendWithReaders();

    expect(await handle(deps, messages.shift()!)).toBe('done');
    expect(messages.map((m) => m.segment)).toEqual(Array.from({ length: 16 }, (_, k) => k));
    expect(harness.queue.refs).toEqual([]);

    // Every segment at once, as sixteen workers would take them.
    const outcomes = await Promise.all(messages.splice(0).map((m) => handle(deps, m)));
    expect(outcomes.every((o) => o === 'done')).toBe(true);

    const job = await harness.stores.ledger.getJob(DIGEST);
    expect(job).toMatchObject({ status: 'queued', segments: 16, recipients: READERS, contents: whole.job.contents });
    const batches = await harness.stores.ledger.batches(DIGEST);
    expect(job?.batches).toBe(batches.length);
    // Each segment queued its own batches as it completed: every batch, once.
    expect(harness.queue.refs.map((r) => r.batch).sort((a, b) => a - b)).toEqual(batches.map((b) => b.batch));
    expect(await plannedEmails(harness)).toEqual(whole.emails);
  });

  it('reads as sending to the publisher once the first segment is sending, while the others are still planned', async () => {
    const { harness, deps, messages } = await sendWithReaders();
    await handle(deps, messages.shift()!);
    expect(await sendProgress(harness.stores, DIGEST)).toMatchObject({
      status: 'preparing',
      recipients: 0,
      segments: { total: 16, queued: 0 },
    });

    expect(await handle(deps, messages.shift()!)).toBe('done');
    const first = harness.queue.refs.length;
    expect(first).toBeGreaterThan(0);
    const sending = await sendProgress(harness.stores, DIGEST);
    expect(sending).toMatchObject({ status: 'sending', segments: { total: 16, queued: 1 }, batches: { total: first, sent: 0 } });
    expect(sending.recipients).toBeGreaterThan(0);
    expect(sending.recipients).toBeLessThan(READERS);

    await Promise.all(messages.splice(0).map((m) => handle(deps, m)));
    const planned = await sendProgress(harness.stores, DIGEST);
    expect(planned).toMatchObject({ status: 'sending', recipients: READERS, pending: READERS });
    expect(planned.segments).toBeUndefined();
  });

  it('goes on where a segment paused, in the message it hands itself', async () => {
    const whole = await plannedWhole();
    const { harness, deps, messages } = await sendWithReaders();
    await handle(deps, messages.shift()!);
    const nearTheEnd = { timeLeftMs: () => 5_000 };
    let paused = 0;
    for (let guard = 0; messages.length > 0 && guard < 200; guard++) {
      const { segment } = messages.shift()!;
      const start = await planSegment({ ...deps, batchSize: 7 }, DIGEST, segment!, nearTheEnd);
      if (start.paused) paused++;
    }
    // Each segment pauses after each page it read (its last one too), then ends with none.
    expect(paused).toBeGreaterThanOrEqual(16);
    expect(await harness.stores.ledger.getJob(DIGEST)).toMatchObject({ status: 'queued', recipients: READERS });
    expect(await plannedEmails(harness)).toEqual(whole.emails);
  });

  it('ends the same when a worker dies at any step and its message comes again', async () => {
    // Fewer readers and four segments, so every step can be a step to die at: each segment still has readers.
    const [readers, segments] = [80, 4];
    const whole = await plannedWhole(readers);
    const calls = await countCalls(readers, segments);
    expect(calls).toBeGreaterThan(40);
    for (let killAt = 1; killAt <= calls; killAt++) {
      const { harness, deps, messages, later } = await sendWithReaders(readers, segments);
      const mortal = mortalDeps(deps, killAt);
      let killed = false;
      for (let guard = 0; messages.length > 0; guard++) {
        if (guard > 500) throw new Error(`kill at ${killAt}: the plan messages never ran out`);
        const message = messages.shift()!;
        try {
          if ((await handle(killed ? deps : mortal.deps, message)) === 'again') {
            messages.push(message);
            later(LEASE_MS + 1);
          }
        } catch (error) {
          if (!mortal.isDead() || killed) throw error;
          // SQS hands the message to another worker once its visibility ends; the dead one's leases end too.
          killed = true;
          messages.push(message);
          later(LEASE_MS + 1);
        }
      }
      const job = await harness.stores.ledger.getJob(DIGEST);
      expect(job, `kill at ${killAt}`).toMatchObject({ status: 'queued', recipients: readers, contents: whole.job.contents });
      expect(await plannedEmails(harness), `kill at ${killAt}`).toEqual(whole.emails);
      const queued = new Set(harness.queue.refs.map((r) => r.batch));
      expect(
        (await harness.stores.ledger.batches(DIGEST)).every((b) => queued.has(b.batch)),
        `kill at ${killAt}`,
      ).toBe(true);
    }
  });
});

/** How many calls to its ports an uninterrupted segmented plan makes: the steps a worker may die at. */
async function countCalls(readers: number, segments: number): Promise<number> {
  const { deps, messages } = await sendWithReaders(readers, segments);
  const counted = mortalDeps(deps, Infinity);
  while (messages.length > 0) await handle(counted.deps, messages.shift()!);
  return counted.calls();
}

/** The ports as one process sees them, dying at its `killAt`-th call: that call and every later one fail. */
function mortalDeps(deps: StartSendDeps, killAt: number) {
  let calls = 0;
  let dead = false;
  const mortal = <T extends object>(port: T): T =>
    new Proxy(port, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (dead || ++calls === killAt) {
            dead = true;
            throw new Error('the worker was killed');
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const rounds = deps.rounds!;
  return {
    deps: {
      ...deps,
      ledger: mortal(deps.ledger),
      subscribers: mortal(deps.subscribers),
      queue: mortal(deps.queue),
      planner: mortal(deps.planner!),
      rounds: { ...rounds, marks: mortal(rounds.marks), digests: mortal(rounds.digests) },
    },
    isDead: () => dead,
    calls: () => calls,
  };
}
