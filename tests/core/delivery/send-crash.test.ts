/**
 * The worker dies at each step of a send (before its claim, after its claim, after the
 * provider accepted a message, before recording a result), then the send resumes with a
 * fresh worker once the lease ran out. Across 1,000 subscribers nobody receives the digest
 * twice, and nobody is missed except the few a dead worker left `attempting` in one batch:
 * those may have been delivered, so they are flagged for review, never resent.
 * "Dying" is an injected failure in the ports: from that moment every call of the worker
 * fails, and the answer of a call in flight is lost.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendProgress } from '../../../functions/core/delivery/progress.js';
import { createSendWorker, type BatchReport, type WorkerOptions } from '../../../functions/core/delivery/send-batch.js';
import { startDigestSend } from '../../../functions/core/delivery/start-send.js';
import type { Mailer } from '../../../functions/core/mail/ports.js';
import type { SendBatchRef, SendLedger } from '../../../functions/core/delivery/ports.js';
import { seedConfirmed, storeDigest, TOKEN_SECRET } from '../../support/delivery-data.js';
import { makeMailSettings, makeSite } from '../../support/factories.js';
import { RecordingMailer } from '../../support/fakes/mailer.js';
import { RecordingQueue } from '../../support/fakes/queue.js';
import { inMemoryDelivery, type InMemoryDelivery } from '../../support/in-memory-delivery.js';

const SUBSCRIBERS = 1000;
const LEASE_MS = 60_000;
const IN_FLIGHT = 10;
const AT_RISK = 30;
const T0 = Date.parse('2025-06-01T08:00:00.000Z');

let harness: InMemoryDelivery;
let clock = T0;
const now = () => new Date(clock);

beforeAll(async () => {
  harness = inMemoryDelivery({ now });
  await seedConfirmed(harness.stores.subscribers, SUBSCRIBERS, 'crash');
});

class Killed extends Error {
  constructor(readonly step: string) {
    super(`the worker was killed (${step})`);
  }
}

type Step = 'before claim' | 'after claim' | 'after the provider accepted' | 'before recording';

/** The ledger and mailer as one worker process sees them, dying at the `at`-th occurrence of `step`. */
function mortalPorts(ledger: SendLedger, mailer: Mailer, step: Step, at: number) {
  const state = { dead: false, seen: 0 };
  const alive = () => {
    if (state.dead) throw new Killed('already dead');
  };
  const die = (): never => {
    state.dead = true;
    throw new Killed(step);
  };
  const mortalLedger = new Proxy(ledger, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        alive();
        const results = args[2] as Record<string, { status: string }> | undefined;
        if (property === 'claim' && step === 'before claim' && ++state.seen === at) die();
        if (
          (property === 'record' || property === 'recordAndMark') &&
          step === 'before recording' &&
          Object.values((property === 'record' ? results : (args[2] as { results?: typeof results })?.results) ?? {}).some(
            (r) => r.status === 'sent',
          ) &&
          ++state.seen === at
        )
          die();
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        alive();
        if (property === 'claim' && step === 'after claim' && ++state.seen === at) die();
        return result;
      };
    },
  });
  const mortalMailer: Mailer = {
    send: async (message) => {
      alive();
      const sent = await mailer.send(message);
      if (step === 'after the provider accepted' && ++state.seen === at) die();
      alive();
      return sent;
    },
  };
  return { ledger: mortalLedger, mailer: mortalMailer, state };
}

function worker(ledger: SendLedger, mailer: Mailer, options: Partial<WorkerOptions> = {}) {
  return createSendWorker({
    site: makeSite(),
    mail: makeMailSettings(),
    tokenSecret: TOKEN_SECRET,
    digests: harness.stores.digests,
    subscribers: harness.stores.subscribers,
    ledger,
    mailer,
    now,
    sleep: async () => {},
    newId: randomUUID,
    random: () => 0.5,
    options: { leaseMs: LEASE_MS, inFlight: IN_FLIGHT, atRisk: AT_RISK, ...options },
  });
}

/** Delivers every batch the way the queue does, one at a time, again while any comes back unfinished. */
async function runQueue(refs: SendBatchRef[], work: (ref: SendBatchRef) => Promise<BatchReport>, rounds = 10): Promise<BatchReport[]> {
  const reports: BatchReport[] = [];
  let waiting = refs;
  for (let round = 0; waiting.length > 0; round++) {
    if (round === rounds) throw new Error(`${waiting.length} batches still unfinished after ${rounds} rounds`);
    const again: SendBatchRef[] = [];
    for (const ref of waiting) {
      const report = await work(ref);
      reports.push(report);
      if (report.outcome === 'busy' || report.outcome === 'deferred') again.push(ref);
    }
    waiting = again;
  }
  return reports;
}

async function startSend(digestId: string): Promise<SendBatchRef[]> {
  await storeDigest(harness.stores.digests, digestId);
  const queue = new RecordingQueue();
  await startDigestSend({ ...harness.stores, rounds: harness.rounds, queue, now, newId: randomUUID }, digestId);
  return queue.refs;
}

describe('a send killed at any step and resumed', () => {
  it.each<[Step, number]>([
    ['before claim', 5],
    ['after claim', 5],
    ['after the provider accepted', 237],
    ['before recording', 20],
  ])('mails nobody twice and misses nobody when killed %s (occurrence %i)', async (step, at) => {
    const digestId = `2025-06-01-${step.replace(/\W+/g, '')}`;
    clock = T0;
    const refs = await startSend(digestId);
    expect(refs).toHaveLength(SUBSCRIBERS / 50);

    const mailer = new RecordingMailer();
    const mortal = mortalPorts(harness.stores.ledger, mailer, step, at);
    const dying = worker(mortal.ledger, mortal.mailer);
    await expect(runQueue(refs, dying)).rejects.toBeInstanceOf(Killed);
    expect(mortal.state.dead).toBe(true);

    // SQS hands the batches out again after the visibility timeout; the dead worker's lease has run out by then.
    clock += LEASE_MS + 1_000;
    const reports = await runQueue(refs, worker(harness.stores.ledger, mailer));
    expect(reports.every((r) => r.outcome === 'sent' || r.outcome === 'already-done')).toBe(true);

    const deliveries = mailer.deliveries();
    const twice = [...deliveries].filter(([, count]) => count > 1);
    expect(twice).toEqual([]);

    const batches = await harness.stores.ledger.batches(digestId);
    const flagged = batches.flatMap((b) =>
      b.recipients.filter((r) => b.results[r.id]?.status === 'unknown').map((r) => ({ batch: b.batch, email: r.email })),
    );
    const missed = batches.flatMap((b) =>
      b.recipients.filter((r) => b.results[r.id]?.status !== 'unknown' && deliveries.get(r.email) !== 1).map((r) => r.email),
    );
    expect(missed).toEqual([]);
    expect(new Set(flagged.map((f) => f.batch)).size).toBeLessThanOrEqual(1);
    if (step === 'before claim' || step === 'after claim') {
      expect(flagged).toEqual([]);
    } else {
      // Only what was marked and not yet recorded when the worker died, in one batch: at most atRisk.
      expect(flagged.length).toBeGreaterThan(0);
      expect(flagged.length).toBeLessThanOrEqual(AT_RISK);
      expect(flagged.some((f) => deliveries.get(f.email) === 1)).toBe(true);
    }

    const progress = await sendProgress(harness.stores, digestId);
    expect(progress).toMatchObject({
      status: 'sent',
      recipients: SUBSCRIBERS,
      failed: 0,
      pending: 0,
      review: flagged.length,
      sent: SUBSCRIBERS - flagged.length,
    });
  });
});

describe('a send throttled on a third of its calls', () => {
  it('still ends with every recipient sent exactly once, none counted as failed', async () => {
    const digestId = '2025-06-01-throttled';
    clock = T0;
    const refs = await startSend(digestId);
    const mailer = new RecordingMailer();
    let seed = 7;
    const throttled: number[] = [];
    mailer.behaviour = (call) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      const throttle = seed / 2 ** 32 < 1 / 3;
      if (throttle) throttled.push(call);
      return throttle ? 'throttle' : 'accept';
    };
    // Few attempts per message, so that some batches give up, are released and come back later.
    const reports = await runQueue(refs, worker(harness.stores.ledger, mailer, { throttle: { attempts: 3, baseMs: 1, maxMs: 1 } }), 50);

    expect(throttled.length / mailer.calls).toBeGreaterThan(0.28);
    expect(throttled.length / mailer.calls).toBeLessThan(0.39);
    expect(reports.some((r) => r.outcome === 'deferred')).toBe(true);
    const deliveries = mailer.deliveries();
    expect(deliveries.size).toBe(SUBSCRIBERS);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(await sendProgress(harness.stores, digestId)).toMatchObject({
      status: 'sent',
      sent: SUBSCRIBERS,
      failed: 0,
      review: 0,
      pending: 0,
    });
  });
});
