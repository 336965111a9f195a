import { beforeAll, describe, expect, it } from 'vitest';
import { sendProgress } from '../../../functions/core/delivery/progress.js';
import { requestDigestSend, startDigestSend } from '../../../functions/core/delivery/start-send.js';
import type { SendBatchRef, SendLedger, SendRecipient } from '../../../functions/core/delivery/ports.js';
import { subscriberId } from '../../../functions/core/subscribers/email.js';
import { suppressAddress } from '../../../functions/core/subscribers/subscriptions.js';
import { seedConfirmed, storeDigest, TOKEN_SECRET } from '../../support/delivery-data.js';
import { createSendWorker, type SendWorkerDeps } from '../../../functions/core/delivery/send-batch.js';
import { inMemoryDelivery, type InMemoryDelivery } from '../../support/in-memory-delivery.js';
import { messageHeader, messageHeaderCount, messageOneClickUrl } from '../../support/mail.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');

/** Stores and starts the send of a digest of its own; the batches it queued. */
async function sendOf(harness: InMemoryDelivery, digestId: string): Promise<SendBatchRef[]> {
  await storeDigest(harness.stores.digests, digestId);
  harness.queue.refs.length = 0;
  await harness.startSend(digestId);
  return [...harness.queue.refs];
}

describe('the send worker', () => {
  let harness: InMemoryDelivery;
  let people: Array<{ id: string; email: string }>;
  beforeAll(async () => {
    harness = inMemoryDelivery({ now: () => NOW });
    people = await seedConfirmed(harness.stores.subscribers, 60, 'worker');
  });

  it('mails each recipient a personal copy: its own unsubscribe token, every placeholder filled', async () => {
    const refs = await sendOf(harness, '2025-06-01-personal');
    expect(refs).toEqual([
      { digestId: '2025-06-01-personal', batch: 1 },
      { digestId: '2025-06-01-personal', batch: 2 },
    ]);
    for (const ref of refs) expect(await harness.worker(ref)).toMatchObject({ outcome: 'sent' });
    expect(harness.mailer.accepted).toHaveLength(60);
    const urls = new Set<string>();
    for (const { message } of harness.mailer.accepted.slice(0, 5)) {
      expect(message.html).not.toContain('{{{');
      expect(message.text).not.toContain('pressrun:');
      expect(messageHeaderCount(message, 'List-Unsubscribe')).toBe(1);
      urls.add(messageOneClickUrl(message));
      expect(message.html).toContain(messageOneClickUrl(message).replaceAll('&', '&amp;'));
    }
    expect(urls.size).toBe(5);
  });

  it('does nothing for a batch sent before, and leaves a batch held by a live claim alone', async () => {
    const [ref] = await sendOf(harness, '2025-06-01-twice');
    expect((await harness.worker(ref!)).outcome).toBe('sent');
    const mailed = harness.mailer.accepted.length;
    expect(await harness.worker(ref!)).toMatchObject({ outcome: 'already-done', sent: 0 });

    const [other] = await sendOf(harness, '2025-06-01-held');
    await harness.stores.ledger.claim(other!, 'another-worker', NOW, new Date(NOW.getTime() + 60_000));
    expect((await harness.worker(other!)).outcome).toBe('busy');
    expect(harness.mailer.accepted.length).toBe(mailed);
  });

  it('skips whoever unsubscribed, bounced or complained after the snapshot', async () => {
    const [ref] = await sendOf(harness, '2025-06-01-suppressed');
    const [a, b, c] = (await harness.stores.ledger.getBatch(ref!))!.recipients.slice(0, 3) as [SendRecipient, SendRecipient, SendRecipient];
    expect(people.map((p) => p.email)).toEqual(expect.arrayContaining([a.email, b.email, c.email]));
    await suppressAddress(harness.stores, { email: a.email, reason: 'bounced', now: NOW });
    await suppressAddress(harness.stores, { email: b.email, reason: 'complained', now: NOW });
    const subscriber = (await harness.stores.subscribers.get(subscriberId(c.email)))!;
    await harness.stores.subscribers.save({ ...subscriber, status: 'unsubscribed' }, subscriber.version);
    const before = harness.mailer.accepted.length;

    const report = await harness.worker(ref!);
    expect(report).toMatchObject({ outcome: 'sent', sent: 47, suppressed: 3 });
    const mailedNow = harness.mailer.accepted.slice(before).map((m) => m.message.to);
    expect(mailedNow).not.toContain(a.email);
    expect(mailedNow).not.toContain(c.email);
    expect(await sendProgress(harness.stores, '2025-06-01-suppressed')).toMatchObject({ suppressed: 3 });
  });
});

describe('provider answers', () => {
  it('records a refused recipient as failed and goes on with the others', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    const people = await seedConfirmed(harness.stores.subscribers, 5, 'refused');
    harness.mailer.behaviour = (_call, to) => (to === people[2]!.email ? 'reject' : 'accept');
    const refs = await sendOf(harness, '2025-06-01-refused');
    const reports = await Promise.all(refs.map((ref) => harness.worker(ref)));
    const batches = await harness.stores.ledger.batches('2025-06-01-refused');
    const refused = batches.flatMap((b) => Object.entries(b.results)).find(([id]) => id === people[2]!.id)?.[1];
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused?.error).toMatch(/refused the recipient/);
    expect(reports.reduce((n, r) => n + r.failed, 0)).toBe(1);
  });

  it('flags a message the provider may have taken (a timeout) for review, never resends it, and stops the batch for now', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    const people = await seedConfirmed(harness.stores.subscribers, 3, 'timeout');
    let timedOut = false;
    harness.mailer.behaviour = (_call, to) => {
      if (to === people[0]!.email && !timedOut) {
        timedOut = true;
        return 'timeout-after-accepting';
      }
      return 'accept';
    };
    const refs = await sendOf(harness, '2025-06-01-timeout');
    const outcomes = [];
    for (const ref of refs) outcomes.push((await harness.worker(ref)).outcome);
    for (const ref of refs) outcomes.push((await harness.worker(ref)).outcome);
    expect(outcomes).toContain('deferred');
    const deliveries = harness.mailer.deliveries();
    expect(deliveries.get(people[0]!.email)).toBe(1);
    expect(await sendProgress(harness.stores, '2025-06-01-timeout')).toMatchObject({ status: 'sent', review: 1, pending: 0 });
  });
});

describe('a provider that refuses this deployment (the SES sandbox, a missing permission)', () => {
  it('stops the whole send after the first refusal, says why in its progress, and mails nobody until it is resumed', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 120, 'denied');
    harness.mailer.behaviour = () => 'access-denied';
    const refs = await sendOf(harness, '2025-06-01-denied');
    const reports = [];
    for (const ref of refs) reports.push(await harness.worker(ref));
    expect(reports.map((r) => r.outcome)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(reports[0]!.reason).toMatch(/AccessDenied/);
    // The first group hit the refusal; the other batches did not even try.
    expect(harness.mailer.calls).toBeLessThanOrEqual(10);
    const stopped = await harness.progress('2025-06-01-denied');
    expect(stopped).toMatchObject({ status: 'stopped', sent: 0, failed: 0, review: 0, pending: 120 });
    expect(stopped.stopped?.reason).toMatch(/AccessDenied.*ses:SendEmail/);

    // Starting it again (a nudge, a restart) leaves it stopped: only the operator's resume goes on.
    harness.queue.refs.length = 0;
    expect((await harness.startSend('2025-06-01-denied')).enqueued).toBe(0);
    expect(harness.queue.refs).toEqual([]);

    // The operator fixes the setup and resumes the send: everyone is mailed, once.
    harness.mailer.behaviour = () => 'accept';
    await harness.resumeSend('2025-06-01-denied');
    expect(harness.queue.refs).toEqual(refs);
    for (const ref of refs) expect((await harness.worker(ref)).outcome).toBe('sent');
    expect(await harness.progress('2025-06-01-denied')).toMatchObject({ status: 'sent', sent: 120, pending: 0 });
    expect(await harness.progress('2025-06-01-denied')).not.toHaveProperty('stopped');
    expect([...harness.mailer.deliveries().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('a test send', () => {
  it('mails one marked copy and leaves the ledger untouched', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await storeDigest(harness.stores.digests, '2025-06-01-test-send');
    const sent = await harness.sendTest('2025-06-01-test-send', ' Editor@Example.com ', NOW);
    expect(sent.to).toBe('editor@example.com');
    const { message } = harness.mailer.accepted[0]!;
    expect(message.subject).toMatch(/^\[Test\] /);
    expect(messageHeader(message, 'x-pressrun-test')).toBe('yes');
    expect(await harness.stores.ledger.getJob('2025-06-01-test-send')).toBeUndefined();
    expect(await harness.stores.ledger.batches('2025-06-01-test-send')).toEqual([]);
  });

  it('names the address when the provider refuses it, and the digest when it does not exist', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await storeDigest(harness.stores.digests, '2025-06-01-test-refused');
    harness.mailer.behaviour = () => 'reject';
    await expect(harness.sendTest('2025-06-01-test-refused', 'x@example.com', NOW)).rejects.toMatchObject({
      kind: 'invalid',
      problems: [{ field: 'email' }],
    });
    await expect(harness.sendTest('2025-06-01-missing', 'x@example.com', NOW)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('starting a send from the API, whose requests must answer within seconds', () => {
  it('hands a send not yet snapshotted to a worker instead of reading every reader itself', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 120, 'planned');
    await storeDigest(harness.stores.digests, '2025-06-01-planned');
    const planned: string[] = [];
    const deps = { ...harness.stores, queue: harness.queue, now: () => NOW, newId: () => `owner-${planned.length}` };
    const planner = { plan: async (digestId: string) => void planned.push(digestId) };

    expect(await requestDigestSend({ ...deps, planner }, '2025-06-01-planned')).toEqual({ enqueued: 0 });
    expect(planned).toEqual(['2025-06-01-planned']);
    expect(await harness.stores.ledger.getJob('2025-06-01-planned')).toBeUndefined();
    expect(harness.queue.refs).toEqual([]);

    // The worker plans it; asked again, the API only queues again what is unfinished, itself.
    await harness.startSend('2025-06-01-planned');
    harness.queue.refs.length = 0;
    const again = await requestDigestSend({ ...deps, planner }, '2025-06-01-planned');
    expect(again).toMatchObject({ job: { status: 'queued', recipients: 120 }, enqueued: 3 });
    expect(planned).toEqual(['2025-06-01-planned']);
    await expect(requestDigestSend({ ...deps, planner }, '2025-06-01-nothing')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('starting a send', () => {
  it('snapshots once: a second start only queues the unfinished batches again', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 120, 'start-twice');
    const digestId = '2025-06-01-start-twice';
    const first = await sendOf(harness, digestId);
    expect(first).toHaveLength(3);
    const job = await harness.stores.ledger.getJob(digestId);
    expect(job).toMatchObject({ status: 'queued', batches: first.length });
    await harness.worker(first[0]!);
    harness.queue.refs.length = 0;
    const again = await harness.startSend(digestId);
    expect(again.job.recipients).toBe(job!.recipients);
    expect(harness.queue.refs).toEqual(first.slice(1));
    expect((await harness.stores.ledger.batches(digestId)).length).toBe(first.length);
  });

  it('resumes a snapshot that crashed midway without putting anyone in two batches', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 120, 'crashed-snapshot');
    const digestId = '2025-06-01-crashed-snapshot';
    await storeDigest(harness.stores.digests, digestId);
    let written = 0;
    const failingLedger = ledgerAround(harness.stores.ledger, {
      addBatch: async (call) => {
        if (++written === 2) throw new Error('the process died while snapshotting');
        return call();
      },
    });
    const deps = {
      ...harness.stores,
      rounds: harness.rounds,
      ledger: failingLedger,
      queue: harness.queue,
      newId: () => `owner-${Math.random()}`,
    };
    await expect(startDigestSend({ ...deps, now: () => NOW }, digestId)).rejects.toThrow(/snapshotting/);
    // Within the lease nobody else takes over; after it, the next start resumes.
    expect((await startDigestSend({ ...deps, now: () => NOW }, digestId)).job.status).toBe('snapshotting');
    const later = new Date(NOW.getTime() + 10 * 60_000);
    const resumed = await startDigestSend({ ...deps, ledger: harness.stores.ledger, now: () => later }, digestId);
    expect(resumed.job.status).toBe('queued');
    const batches = await harness.stores.ledger.batches(digestId);
    const ids = batches.flatMap((b) => b.recipients.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    const confirmed: string[] = [];
    for await (const page of harness.stores.subscribers.confirmed()) confirmed.push(...page.map((s) => s.id));
    expect(ids.sort()).toEqual(confirmed.sort());
    expect(resumed.job.recipients).toBe(confirmed.length);
  });

  it('refuses a digest that does not exist', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await expect(harness.startSend('2025-06-01-nothing')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('on the schedule, starts the newest digest once', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    const template = await storeDigest(harness.stores.digests, '2025-06-01-schedule-template');
    await harness.stores.digests.create({ ...template, id: '2030-01-01-newest', cutoff: '2030-01-01T06:00:00.000Z' });
    const started = await harness.sendLatest();
    expect(started?.job).toMatchObject({ digestId: '2030-01-01-newest', status: 'queued' });
    expect(await harness.sendLatest()).toBeUndefined();
    expect(await harness.stores.ledger.getJob('2025-06-01-schedule-template')).toBeUndefined();
  });
});

/** A send worker over the harness's stores, with its ledger, provider, sleep and options as given. */
/** `ledger` with some of its methods seen through `around`, each given the original call and its arguments. */
function ledgerAround(
  ledger: SendLedger,
  around: Partial<Record<keyof SendLedger, (call: () => Promise<unknown>, args: unknown[]) => Promise<unknown>>>,
): SendLedger {
  return new Proxy(ledger, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      const wrap = around[property as keyof SendLedger];
      if (!wrap || typeof value !== 'function') return value;
      return (...args: unknown[]) => wrap(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), args);
    },
  });
}

function workerOn(
  harness: InMemoryDelivery,
  parts: Pick<SendWorkerDeps, 'ledger' | 'mailer' | 'options'> & { sleep?: SendWorkerDeps['sleep'] },
) {
  return createSendWorker({
    site: harness.site,
    mail: harness.mail,
    tokenSecret: TOKEN_SECRET,
    digests: harness.stores.digests,
    subscribers: harness.stores.subscribers,
    now: () => NOW,
    sleep: async () => {},
    newId: () => `claim-${Math.random()}`,
    random: () => 0.5,
    ...parts,
  });
}

describe('the send worker’s window on the provider', () => {
  /** A worker over `batches` of 50 readers whose ledger writes and provider calls are watched, with the worker's options. */
  async function watchedWorker(digestId: string, options: { inFlight: number; atRisk?: number }, batches = 1) {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 50 * batches, digestId);
    const refs = await sendOf(harness, digestId);
    const ledger = harness.stores.ledger;
    const seen = { withProvider: 0, mostWithProvider: 0, mostAttempting: 0, writesWhileSending: [] as number[] };
    const watched = ledgerAround(ledger, {
      recordAndMark: async (call, args) => {
        seen.writesWhileSending.push(seen.withProvider);
        await call();
        const batch = await ledger.getBatch(args[0] as SendBatchRef);
        const attempting = Object.values(batch!.results).filter((r) => r.status === 'attempting').length;
        seen.mostAttempting = Math.max(seen.mostAttempting, attempting);
      },
    });
    const mailer = {
      send: async () => {
        seen.mostWithProvider = Math.max(seen.mostWithProvider, ++seen.withProvider);
        // A provider's round trip: a few turns of the event loop.
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        seen.withProvider--;
        return { messageId: `m-${Math.random()}` };
      },
    };
    return { refs, worker: workerOn(harness, { ledger: watched, mailer, options }), seen };
  }

  it('keeps the ledger’s writes off the sending’s path: marks written thirteen at a time while mails are with the provider', async () => {
    const { refs, worker, seen } = await watchedWorker('2025-06-01-window', { inFlight: 10 });
    expect(await worker(refs[0]!)).toMatchObject({ outcome: 'sent', sent: 50 });
    // Four marks (13, 13, 13, 11): the first before anything is sent, every later one while mails are out.
    expect(seen.writesWhileSending).toHaveLength(4);
    expect(seen.writesWhileSending.slice(1).every((n) => n > 0)).toBe(true);
    expect(seen.mostWithProvider).toBe(10);
    // The default: at most 30 attempting, the most a crash can leave flagged.
    expect(seen.mostAttempting).toBeLessThanOrEqual(30);
  });

  it.each([10, 4, 1])('never has more than atRisk (%i) attempting, and still mails everyone', async (atRisk) => {
    const { refs, worker, seen } = await watchedWorker(`2025-06-01-risk-${atRisk}`, { inFlight: 10, atRisk });
    expect(await worker(refs[0]!)).toMatchObject({ outcome: 'sent', sent: 50 });
    expect(seen.mostAttempting).toBeGreaterThan(0);
    expect(seen.mostAttempting).toBeLessThanOrEqual(atRisk);
    expect(seen.mostWithProvider).toBeLessThanOrEqual(atRisk);
  });

  it('sends nothing more once its batch failed: a mail the pacer was holding back is not handed over', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 50, 'failed-batch');
    const [ref] = await sendOf(harness, '2025-06-01-failed-batch');
    let marks = 0;
    const ledger = ledgerAround(harness.stores.ledger, {
      recordAndMark: async (call) => {
        if (++marks === 2) throw new Error('the table is unavailable');
        return call();
      },
    });
    let sent = 0;
    const sleepers: Array<() => void> = [];
    const worker = workerOn(harness, {
      ledger,
      mailer: { send: async () => ({ messageId: `m-${++sent}` }) },
      // The pacer's waits end when the test says so.
      sleep: () => new Promise<void>((resolve) => sleepers.push(resolve)),
      options: { inFlight: 10, ratePerSecond: 1 },
    });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    let failed = false;
    const handled = worker(ref!).catch(() => void (failed = true));
    for (let i = 0; i < 20 && !failed; i++) {
      await settle();
      sleepers.shift()?.();
    }
    await handled;
    expect(failed).toBe(true);
    const sentWhenItFailed = sent;
    // Whatever the pacer still held is let go: nothing of this batch goes out any more.
    for (let i = 0; i < 5; i++) {
      sleepers.splice(0).forEach((wake) => wake());
      await settle();
    }
    expect(sent).toBe(sentWhenItFailed);
  });

  it('shares its inFlight among the batches it works at once: two batches never have more with the provider', async () => {
    const { refs, worker, seen } = await watchedWorker('2025-06-01-two-at-once', { inFlight: 10 }, 2);
    const reports = await Promise.all(refs.map((ref) => worker(ref)));
    expect(reports.map((r) => [r.outcome, r.sent])).toEqual([
      ['sent', 50],
      ['sent', 50],
    ]);
    expect(seen.mostWithProvider).toBe(10);
  });
});

describe('the send’s job and counts, shared by the batches one worker works at once', () => {
  /** A send of `batches` batches, its worker, and the reads of its job and writes of its counts, counted. */
  async function countedWorker(digestId: string, batches: number) {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 50 * batches, digestId);
    const refs = await sendOf(harness, digestId);
    const calls = { getJob: 0, count: 0 };
    const ledger = ledgerAround(harness.stores.ledger, {
      getJob: (call) => (calls.getJob++, call()),
      count: (call) => (calls.count++, call()),
    });
    const worker = workerOn(harness, { ledger, mailer: harness.mailer, options: { inFlight: 10 } });
    return { harness, refs, worker, calls };
  }

  /** Works the refs `atOnce` at a time, as the SQS handler does; `afterFirst` runs once the first report is in. */
  async function workAll(worker: ReturnType<typeof workerOn>, refs: SendBatchRef[], atOnce: number, afterFirst?: () => Promise<void>) {
    const reports: Array<Awaited<ReturnType<typeof worker>>> = [];
    let next = 0;
    const lane = async () => {
      while (next < refs.length) {
        const report = await worker(refs[next++]!);
        reports.push(report);
        if (reports.length === 1) await afterFirst?.();
      }
    };
    await Promise.all(Array.from({ length: atOnce }, lane));
    return reports;
  }

  it('reads the job once and writes the counts once for the five batches of one invocation, and counts every mail', async () => {
    const { harness, refs, worker, calls } = await countedWorker('2025-06-01-shared-job', 5);
    const reports = await workAll(worker, refs, 2);
    expect(reports.map((r) => r.outcome)).toEqual(Array(5).fill('sent'));
    expect(calls).toEqual({ getJob: 1, count: 1 });
    expect((await harness.stores.ledger.getJob('2025-06-01-shared-job'))?.counts?.sent).toBe(250);
  });

  it('reads the job and writes the counts for each batch worked alone', async () => {
    const { harness, refs, worker, calls } = await countedWorker('2025-06-01-alone', 3);
    await workAll(worker, refs, 1);
    expect(calls).toEqual({ getJob: 3, count: 3 });
    expect((await harness.stores.ledger.getJob('2025-06-01-alone'))?.counts?.sent).toBe(150);
  });

  it('does not drop a batch on a stop it met in a read shared with others: a resume made since lets it go out', async () => {
    const { harness, refs, calls } = await countedWorker('2025-06-01-resumed-between', 8);
    const ledger = harness.stores.ledger;
    // The first mail of the first batch waits until the end: that batch stays in progress, and the others share its reads.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const mailer = {
      send: async (message: Parameters<typeof harness.mailer.send>[0]) => {
        if (first) {
          first = false;
          await held;
        }
        return harness.mailer.send(message);
      },
    };
    const counted = ledgerAround(ledger, { getJob: (call) => (calls.getJob++, call()) });
    const worker = workerOn(harness, { ledger: counted, mailer, options: { inFlight: 10 } });
    const slow = worker(refs[0]!);
    await new Promise((resolve) => setImmediate(resolve));
    await ledger.stopJob('2025-06-01-resumed-between', 'stopped by an operator', NOW);
    const outcomes: string[] = [];
    // Four share the first batch's read (made before the stop) and go out; the fifth after it reads the stop.
    for (const ref of refs.slice(1, 6)) outcomes.push((await worker(ref)).outcome);
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'sent', 'stopped']);
    await ledger.resumeJob('2025-06-01-resumed-between', NOW);
    // A stopped batch's message is dropped: one begun after the resume must not take the stop from the shared read.
    for (const ref of refs.slice(6)) outcomes.push((await worker(ref)).outcome);
    expect(outcomes.slice(5)).toEqual(['sent', 'sent']);
    release();
    expect((await slow).outcome).toBe('sent');
  });

  it('lets a failed read of the job fail no batch that shares it: each reads the job itself once more', async () => {
    const harness = inMemoryDelivery({ now: () => NOW });
    await seedConfirmed(harness.stores.subscribers, 100, 'read-fails');
    const refs = await sendOf(harness, '2025-06-01-read-fails');
    let reads = 0;
    const ledger = ledgerAround(harness.stores.ledger, {
      getJob: async (call) => {
        if (++reads === 1) throw new Error('the table is unavailable for a moment');
        return call();
      },
    });
    const worker = workerOn(harness, { ledger, mailer: harness.mailer, options: { inFlight: 10 } });
    const reports = await Promise.all(refs.map((ref) => worker(ref)));
    expect(reports.map((r) => r.outcome)).toEqual(['sent', 'sent']);
    expect(harness.mailer.accepted).toHaveLength(100);
  });

  it('reads the job again at least every five batches while its batches keep overlapping: a stop made meanwhile holds back the rest', async () => {
    const { harness, refs, worker, calls } = await countedWorker('2025-06-01-chain', 12);
    const reports = await workAll(worker, refs, 2, () => harness.stores.ledger.stopJob('2025-06-01-chain', 'stopped by an operator', NOW));
    const sent = reports.filter((r) => r.outcome === 'sent').length;
    // The batches begun on the read made before the stop go out (five at most); every later one meets the stop.
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(5);
    expect(reports.filter((r) => r.outcome === 'stopped')).toHaveLength(12 - sent);
    expect(calls.getJob).toBeGreaterThanOrEqual(2);
    // Every mail that went out is counted.
    expect((await harness.stores.ledger.getJob('2025-06-01-chain'))?.counts?.sent).toBe(harness.mailer.accepted.length);
  });
});
