/**
 * Planning a send where the time is: a snapshot that would outlast its invocation pauses at a
 * page of readers, with everything it read in written batches and where it got to on the job;
 * the next start goes on from there. Paused as often as it may be, a send plans each reader
 * once, with the same email as one planned in one go.
 */
import { describe, expect, it } from 'vitest';
import { seedConfirmed, storeDigest } from '../../support/delivery-data.js';
import { inMemoryDelivery } from '../../support/in-memory-delivery.js';
import { startDigestSend } from '../../../functions/core/delivery/start-send.js';
import { createSender } from '../../../functions/wiring/delivery.js';
import { TOKEN_SECRET } from '../../support/delivery-data.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');
const READERS = 430;

async function harnessWithReaders() {
  const harness = inMemoryDelivery({ now: () => NOW });
  await seedConfirmed(harness.stores.subscribers, READERS, 'paused');
  await storeDigest(harness.stores.digests, '2025-06-01-paused');
  const deps = { ...harness.stores, rounds: harness.rounds, queue: harness.queue, now: () => NOW, newId: () => `owner-${Math.random()}` };
  return { harness, deps };
}

/** Each reader's planned email, whatever batch it went in. */
async function plannedEmails(harness: Awaited<ReturnType<typeof harnessWithReaders>>['harness']) {
  const batches = await harness.stores.ledger.batches('2025-06-01-paused');
  return batches.flatMap((b) => b.recipients.map((r) => `${r.id}:${r.content ?? 'digest'}`)).sort();
}

describe('a send planned in more than one invocation', () => {
  it('pauses at a page when the time runs out and goes on where it stopped, planning each reader once', async () => {
    const whole = await harnessWithReaders();
    expect(await startDigestSend(whole.deps, '2025-06-01-paused')).toMatchObject({ job: { status: 'queued', recipients: READERS } });

    const paused = await harnessWithReaders();
    // Invocations near their end: each plans one page of readers (100), then pauses.
    const onePage = () => ({ timeLeftMs: () => 5_000 });
    const starts = [];
    for (let i = 0; i < 10; i++) {
      const start = await startDigestSend(paused.deps, '2025-06-01-paused', onePage());
      starts.push(start);
      if (!start.paused) break;
    }
    // One pause a page (the last one too: a page does not say it is the last), then the start that finds no more.
    expect(starts.filter((s) => s.paused)).toHaveLength(Math.ceil(READERS / 100));
    expect(starts.at(-1)).toMatchObject({ job: { status: 'queued', recipients: READERS } });
    // Nothing queued until the whole snapshot is done; then every batch once.
    expect(paused.harness.queue.refs.length).toBe((await paused.harness.stores.ledger.batches('2025-06-01-paused')).length);

    const planned = await plannedEmails(paused.harness);
    expect(new Set(planned.map((p) => p.split(':')[0])).size).toBe(READERS);
    expect(planned).toEqual(await plannedEmails(whole.harness));
  });

  it('is handed on by the send worker as a new plan message, so the next invocation goes on at once', async () => {
    const { harness } = await harnessWithReaders();
    const handedOn: Array<number | undefined> = [];
    const sender = createSender({ site: harness.site, mail: harness.mail, tokenSecret: TOKEN_SECRET }, harness.stores, harness.mailer, {
      now: () => NOW,
      queue: harness.queue,
      rounds: harness.rounds,
      planner: { plan: async (_digestId, segment) => void handedOn.push(segment) },
    });
    // The worker plans in segments (plan-segments.test.ts): the start hands them out.
    expect(await sender.plan('2025-06-01-paused')).toMatchObject({ handedOn: true, job: { status: 'snapshotting', segments: 16 } });
    expect(handedOn).toEqual(Array.from({ length: 16 }, (_, k) => k));
    handedOn.length = 0;
    const start = await sender.plan('2025-06-01-paused', { timeLeftMs: () => 5_000 }, 3);
    expect(start).toMatchObject({ paused: true, job: { status: 'snapshotting' } });
    expect(handedOn).toEqual([3]);
    for (let segment = 0; segment < 16; segment++) await sender.plan('2025-06-01-paused', undefined, segment);
    expect(await harness.stores.ledger.getJob('2025-06-01-paused')).toMatchObject({ status: 'queued', recipients: READERS });
  });
});
