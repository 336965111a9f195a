/**
 * What every SendLedger does (functions/core/delivery/ports.ts), run against DynamoSendLedger on
 * dynalite and against the in-memory fake by tests/adapters/dynamo-send-ledger.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SendLedger } from '../../../functions/core/delivery/ports.js';

const T0 = new Date('2025-06-01T12:00:00.000Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
let digests = 0;
const newDigestId = () => `2025-06-01-ledger${++digests}`;
const recipients = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `sub${String(i).padStart(19, '0')}`, email: `r${i}@example.com` }));

/** @param freshLedger an empty ledger of its own for every test. */
export function describeSendLedgerContract(name: string, freshLedger: () => Promise<SendLedger>): void {
  async function batchWithClaim(claimId = 'claim-1') {
    const ledger = await freshLedger();
    const digestId = newDigestId();
    await ledger.addBatch({ digestId, batch: 1, recipients: recipients(3) });
    const ref = { digestId, batch: 1 };
    const claimed = await ledger.claim(ref, claimId, T0, plus(60_000));
    return { ledger, ref, claimed };
  }

  describe(`${name} as a SendLedger: the send job`, () => {
    it('belongs to whoever opened it first; a second caller sees it without owning it', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      expect(await ledger.getJob(digestId)).toBeUndefined();
      const first = await ledger.openJob(digestId, 'owner-a', T0, plus(60_000));
      expect(first).toMatchObject({ owned: true, job: { status: 'snapshotting', owner: 'owner-a' } });
      const second = await ledger.openJob(digestId, 'owner-b', plus(1000), plus(61_000));
      expect(second).toMatchObject({ owned: false, job: { owner: 'owner-a' } });
      expect(await ledger.getJob(digestId)).toEqual(first.job);
    });

    it('is taken over once its owner’s lease ran out, and then only the new owner completes it', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      await ledger.openJob(digestId, 'owner-a', T0, plus(60_000));
      const takeover = await ledger.openJob(digestId, 'owner-b', plus(60_001), plus(120_000));
      expect(takeover).toMatchObject({ owned: true, job: { owner: 'owner-b' } });
      await expect(ledger.completeSnapshot(digestId, 'owner-a', { recipients: 1, batches: 1 }, plus(60_002))).rejects.toMatchObject({
        kind: 'conflict',
      });
      const done = await ledger.completeSnapshot(digestId, 'owner-b', { recipients: 3, batches: 1 }, plus(60_003));
      expect(done).toMatchObject({ status: 'queued', recipients: 3, batches: 1 });
      expect(await ledger.openJob(digestId, 'owner-c', plus(10 ** 9), plus(10 ** 9 + 1))).toMatchObject({
        owned: false,
        job: { status: 'queued' },
      });
    });

    it('pauses a snapshot where it got to: the next caller takes it over at once and reads the cursor; only the owner may pause', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      await ledger.openJob(digestId, 'owner-a', T0, plus(300_000));
      await expect(ledger.pauseSnapshot(digestId, 'owner-b', 'sub-1', plus(1))).rejects.toMatchObject({ kind: 'conflict' });
      await ledger.pauseSnapshot(digestId, 'owner-a', 'sub-0042', plus(10_000));
      const next = await ledger.openJob(digestId, 'owner-b', plus(10_001), plus(310_001));
      expect(next).toMatchObject({ owned: true, job: { owner: 'owner-b', cursor: 'sub-0042', status: 'snapshotting' } });
      await expect(ledger.pauseSnapshot(digestId, 'owner-a', 'sub-0099', plus(10_002))).rejects.toMatchObject({ kind: 'conflict' });
    });

    it('stops a send with the first reason given, and starts it again', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      await ledger.openJob(digestId, 'owner-a', T0, plus(60_000));
      await ledger.stopJob(digestId, 'SES refused: AccessDenied', plus(1000));
      await ledger.stopJob(digestId, 'a later reason', plus(2000));
      expect((await ledger.getJob(digestId))?.stopped).toEqual({ reason: 'SES refused: AccessDenied', at: plus(1000).toISOString() });
      await ledger.resumeJob(digestId, plus(3000));
      await ledger.resumeJob(digestId, plus(4000));
      expect((await ledger.getJob(digestId))?.stopped).toBeUndefined();
      await ledger.stopJob(newDigestId(), 'no such send', plus(5000));
    });

    it('adds to its counts atomically, ignores counts for a send that does not exist, and keeps them across a stop', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      await ledger.openJob(digestId, 'owner-a', T0, plus(60_000));
      expect((await ledger.getJob(digestId))?.counts).toBeUndefined();
      await Promise.all([
        ledger.count(digestId, { sent: 50 }),
        ledger.count(digestId, { bounces: 1 }),
        ledger.count(digestId, { bounces: 2, complaints: 1 }),
        ledger.count(digestId, { sent: 48 }),
      ]);
      await ledger.stopJob(digestId, 'hard-bounce rate', plus(1000));
      expect((await ledger.getJob(digestId))?.counts).toEqual({ sent: 98, bounces: 3, complaints: 1 });
      const unknown = newDigestId();
      await ledger.count(unknown, { bounces: 1 });
      expect(await ledger.getJob(unknown)).toBeUndefined();
    });

    it('takes the counts at a resume as the baseline the rates start from again', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      await ledger.openJob(digestId, 'owner-a', T0, plus(60_000));
      await ledger.resumeJob(digestId, plus(500));
      expect((await ledger.getJob(digestId))?.baseline).toBeUndefined();
      await ledger.count(digestId, { sent: 200, bounces: 12 });
      await ledger.stopJob(digestId, 'hard-bounce rate', plus(1000));
      await ledger.resumeJob(digestId, plus(2000));
      await ledger.count(digestId, { sent: 50, complaints: 1 });
      expect(await ledger.getJob(digestId)).toMatchObject({
        counts: { sent: 250, bounces: 12, complaints: 1 },
        baseline: { sent: 200, bounces: 12, complaints: 0 },
      });
      expect((await ledger.getJob(digestId))?.stopped).toBeUndefined();
    });
  });

  describe(`${name} as a SendLedger: a send planned in segments`, () => {
    it('splits the job: records the segments and ends its lease, so whoever comes next may complete it; only the owner may split', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      await ledger.openJob(digestId, 'owner-a', T0, plus(300_000));
      await expect(ledger.splitSnapshot(digestId, 'owner-b', 16, plus(1))).rejects.toMatchObject({ kind: 'conflict' });
      const split = await ledger.splitSnapshot(digestId, 'owner-a', 16, plus(1));
      expect(split).toMatchObject({ status: 'snapshotting', segments: 16, leaseUntil: plus(1).toISOString() });
      const next = await ledger.openJob(digestId, 'owner-b', plus(2), plus(300_002));
      expect(next.owned).toBe(true);
      expect(next.job.segments).toBe(16);
    });

    it('keeps a snapshot per segment beside the job: opened, taken over, paused and completed on its own, listed in order', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      await ledger.openJob(digestId, 'starter', T0, plus(300_000));
      const three = await ledger.openJob(digestId, 'worker-a', T0, plus(60_000), 3);
      expect(three).toMatchObject({ owned: true, job: { segment: 3, status: 'snapshotting' } });
      expect((await ledger.openJob(digestId, 'worker-b', plus(1), plus(60_001), 3)).owned).toBe(false);
      await ledger.openJob(digestId, 'worker-c', T0, plus(60_000), 1);
      await ledger.pauseSnapshot(digestId, 'worker-a', 'Hz', plus(2), 3);
      const resumed = await ledger.openJob(digestId, 'worker-b', plus(3), plus(60_003), 3);
      expect(resumed).toMatchObject({ owned: true, job: { cursor: 'Hz', segment: 3 } });
      await expect(ledger.completeSnapshot(digestId, 'worker-a', { recipients: 1, batches: 1 }, plus(4), 3)).rejects.toMatchObject({
        kind: 'conflict',
      });
      const done = await ledger.completeSnapshot(
        digestId,
        'worker-b',
        { recipients: 120, batches: 3, contentIds: ['c1', 'c2'] },
        plus(4),
        3,
      );
      expect(done).toMatchObject({ status: 'queued', segment: 3, recipients: 120, batches: 3, contents: 2, contentIds: ['c1', 'c2'] });
      expect((await ledger.segments(digestId)).map((s) => [s.segment, s.status])).toEqual([
        [1, 'snapshotting'],
        [3, 'queued'],
      ]);
      // The job itself is untouched by its segments.
      expect(await ledger.getJob(digestId)).toMatchObject({ status: 'snapshotting', owner: 'starter' });
      expect(await ledger.segments(newDigestId())).toEqual([]);
    });

    it('reads the batches of one range of numbers, as a segment reads its own', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      for (const batch of [1, 2, 50_001, 50_002, 100_001]) await ledger.addBatch({ digestId, batch, recipients: recipients(1) });
      expect((await ledger.batches(digestId, { first: 50_001, last: 100_000 })).map((b) => b.batch)).toEqual([50_001, 50_002]);
      expect((await ledger.batches(digestId)).map((b) => b.batch)).toEqual([1, 2, 50_001, 50_002, 100_001]);
    });
  });

  describe(`${name} as a SendLedger: send batches`, () => {
    it('keeps every batch of a digest, in batch order, and refuses a batch number twice', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      for (const batch of [3, 1, 2]) await ledger.addBatch({ digestId, batch, recipients: recipients(batch) });
      await expect(ledger.addBatch({ digestId, batch: 2, recipients: recipients(1) })).rejects.toMatchObject({ kind: 'conflict' });
      const batches = await ledger.batches(digestId);
      expect(batches.map((b) => [b.batch, b.status, b.recipients.length])).toEqual([
        [1, 'pending', 1],
        [2, 'pending', 2],
        [3, 'pending', 3],
      ]);
      expect(await ledger.batches(newDigestId())).toEqual([]);
    });

    it('lets one worker claim a pending batch; another finds it busy until the lease runs out', async () => {
      const { ledger, ref, claimed } = await batchWithClaim('claim-1');
      expect(claimed).toMatchObject({ status: 'sending', claimId: 'claim-1', claims: 1 });
      expect(await ledger.claim(ref, 'claim-2', plus(30_000), plus(90_000))).toBeUndefined();
      expect(await ledger.claim(ref, 'claim-2', plus(60_000), plus(120_000))).toMatchObject({ claimId: 'claim-2', claims: 2 });
    });

    it('records attempts and results only for the claim that holds the batch', async () => {
      const { ledger, ref } = await batchWithClaim('claim-1');
      const [a, b, c] = recipients(3).map((r) => r.id) as [string, string, string];
      await ledger.markAttempting(ref, 'claim-1', [a, b, c], plus(1), plus(70_000));
      await ledger.record(
        ref,
        'claim-1',
        {
          [a]: { status: 'sent', at: plus(2).toISOString(), messageId: 'm-1' },
          [b]: { status: 'failed', at: plus(2).toISOString(), error: '550' },
        },
        [c],
      );
      const batch = await ledger.getBatch(ref);
      expect(batch?.results).toEqual({
        [a]: { status: 'sent', at: plus(2).toISOString(), messageId: 'm-1' },
        [b]: { status: 'failed', at: plus(2).toISOString(), error: '550' },
      });
      expect(batch?.leaseUntil).toBe(plus(70_000).toISOString());
      await expect(ledger.record(ref, 'someone-else', { [c]: { status: 'sent', at: plus(3).toISOString() } })).rejects.toMatchObject({
        kind: 'conflict',
      });
      await expect(ledger.markAttempting(ref, 'someone-else', [c], plus(3), plus(4))).rejects.toMatchObject({ kind: 'conflict' });
    });

    it('records one group’s results and marks the next group attempting in one write, only for the claim that holds the batch', async () => {
      const { ledger, ref } = await batchWithClaim('claim-1');
      const [a, b, c, d] = recipients(4).map((r) => r.id) as [string, string, string, string];
      await ledger.recordAndMark(ref, 'claim-1', { results: {}, notSent: [] }, [a, b], plus(1), plus(70_000));
      const sent = { status: 'sent' as const, at: plus(2).toISOString(), messageId: 'm-1' };
      await ledger.recordAndMark(ref, 'claim-1', { results: { [a]: sent }, notSent: [b] }, [c, d], plus(3), plus(80_000));
      const batch = await ledger.getBatch(ref);
      expect(batch?.results).toEqual({
        [a]: sent,
        [c]: { status: 'attempting', at: plus(3).toISOString() },
        [d]: { status: 'attempting', at: plus(3).toISOString() },
      });
      expect(batch?.leaseUntil).toBe(plus(80_000).toISOString());
      await expect(ledger.recordAndMark(ref, 'someone-else', { results: {}, notSent: [] }, [b], plus(4), plus(5))).rejects.toMatchObject({
        kind: 'conflict',
      });
    });

    it('releases a batch back to pending with its results kept, and finishes it as sent for good', async () => {
      const { ledger, ref } = await batchWithClaim('claim-1');
      const [a] = recipients(1).map((r) => r.id) as [string];
      await ledger.record(ref, 'claim-1', { [a]: { status: 'sent', at: plus(1).toISOString() } });
      await ledger.release(ref, 'claim-1');
      const released = await ledger.getBatch(ref);
      expect(released).toMatchObject({ status: 'pending', results: { [a]: { status: 'sent' } } });
      expect(released?.claimId).toBeUndefined();

      await ledger.claim(ref, 'claim-2', plus(2), plus(60_000));
      await expect(ledger.finish(ref, 'claim-1')).rejects.toMatchObject({ kind: 'conflict' });
      await ledger.finish(ref, 'claim-2');
      expect((await ledger.getBatch(ref))?.status).toBe('sent');
      expect(await ledger.claim(ref, 'claim-3', plus(10 ** 9), plus(10 ** 9 + 1))).toBeUndefined();
    });

    it('finishes a batch with its last results in the same write, and only for the claim that holds it', async () => {
      const { ledger, ref } = await batchWithClaim('claim-1');
      const [a, b, c] = recipients(3).map((r) => r.id) as [string, string, string];
      await ledger.recordAndMark(ref, 'claim-1', { results: {}, notSent: [] }, [a, b, c], plus(1), plus(60_000));
      const last = { results: { [a]: { status: 'sent' as const, at: plus(2).toISOString(), messageId: 'm-a' } }, notSent: [b] };
      await expect(ledger.finish(ref, 'claim-2', last)).rejects.toMatchObject({ kind: 'conflict' });
      await ledger.finish(ref, 'claim-1', last);
      const finished = await ledger.getBatch(ref);
      expect(finished).toMatchObject({
        status: 'sent',
        results: { [a]: { status: 'sent', messageId: 'm-a' }, [c]: { status: 'attempting' } },
      });
      expect(finished?.results[b]).toBeUndefined();
      expect(finished?.claimId).toBeUndefined();
      expect(finished?.leaseUntil).toBeUndefined();
    });

    it('reads each batch’s state without its recipients: its size, lease and results counted as every write of every claim left them', async () => {
      const ledger = await freshLedger();
      const digestId = newDigestId();
      const ids = recipients(6).map((r) => r.id) as [string, string, string, string, string, string];
      await ledger.addBatch({ digestId, batch: 1, recipients: recipients(6) });
      await ledger.addBatch({ digestId, batch: 2, recipients: recipients(2) });
      const ref = { digestId, batch: 1 };
      const at = plus(2).toISOString();
      await ledger.claim(ref, 'claim-1', T0, plus(60_000));
      await ledger.recordAndMark(ref, 'claim-1', { results: {}, notSent: [] }, ids.slice(0, 3), plus(1), plus(70_000));
      await ledger.recordAndMark(
        ref,
        'claim-1',
        { results: { [ids[0]]: { status: 'sent', at }, [ids[1]]: { status: 'suppressed', at } }, notSent: [ids[2]] },
        [ids[3]],
        plus(3),
        plus(80_000),
      );
      // A write of a claim that no longer holds the batch counts nothing.
      await expect(ledger.record(ref, 'claim-0', { [ids[4]]: { status: 'sent', at } })).rejects.toMatchObject({ kind: 'conflict' });
      const midway = await ledger.batchStates(digestId);
      expect(midway).toEqual([
        {
          batch: 1,
          status: 'sending',
          leaseUntil: plus(80_000).toISOString(),
          size: 6,
          tally: { sent: 1, failed: 0, suppressed: 1, unknown: 0 },
        },
        { batch: 2, status: 'pending', size: 2, tally: { sent: 0, failed: 0, suppressed: 0, unknown: 0 } },
      ]);

      // The claim dies; the next one flags who was left attempting and finishes the rest.
      await ledger.claim(ref, 'claim-2', plus(90_000), plus(150_000));
      await ledger.record(ref, 'claim-2', { [ids[3]]: { status: 'unknown', at } });
      await ledger.finish(ref, 'claim-2', {
        results: { [ids[2]]: { status: 'sent', at }, [ids[4]]: { status: 'failed', at }, [ids[5]]: { status: 'sent', at } },
        notSent: [],
      });
      const [done] = await ledger.batchStates(digestId);
      expect(done).toEqual({ batch: 1, status: 'sent', size: 6, tally: { sent: 3, failed: 1, suppressed: 1, unknown: 1 } });
      expect(await ledger.batchStates(newDigestId())).toEqual([]);
    });

    it('does not claim a batch that does not exist', async () => {
      const ledger = await freshLedger();
      expect(await ledger.claim({ digestId: newDigestId(), batch: 1 }, 'claim', T0, plus(1))).toBeUndefined();
      expect(await ledger.getBatch({ digestId: newDigestId(), batch: 1 })).toBeUndefined();
    });
  });
}
