import { describe, expect, it } from 'vitest';
import { startDigestSend } from '../../functions/core/delivery/start-send.js';
import { resumeSends } from '../../functions/local/resume-sends.js';
import { storeDigest } from '../support/delivery-data.js';
import { InMemoryDigestStore } from '../support/fakes/digest-store.js';
import { RecordingQueue } from '../support/fakes/queue.js';
import { InMemorySendLedger } from '../support/fakes/send-ledger.js';
import { InMemorySubscriberStore } from '../support/fakes/subscriber-store.js';

const STARTED = Date.parse('2025-06-01T10:00:00.000Z');
const at = (seconds: number) => new Date(STARTED + seconds * 1_000);
const LEASE = 5 * 60;
const recipients = (batch: number) => [{ id: `s${batch}`, email: `reader-${batch}@example.com` }];

/** A digest whose send was snapshotted into `batches` batches, queued. */
async function queuedSend(ledger: InMemorySendLedger, digestId: string, batches: number) {
  await ledger.openJob(digestId, 'old-process', at(-120), at(-120 + LEASE));
  for (let batch = 1; batch <= batches; batch++) await ledger.addBatch({ digestId, batch, recipients: recipients(batch) });
  await ledger.completeSnapshot(digestId, 'old-process', { recipients: batches, batches }, at(-120));
}

async function setUp() {
  const ledger = new InMemorySendLedger();
  const digests = new InMemoryDigestStore();
  const queue = new RecordingQueue();
  for (const id of ['killed-midway', 'finished', 'preparing']) await storeDigest(digests, id);

  // killed-midway: 1 sent, 2 held by the process that stopped, 3 pending, 4 taken by this process since it started.
  await queuedSend(ledger, 'killed-midway', 4);
  await ledger.claim({ digestId: 'killed-midway', batch: 1 }, 'old-1', at(-100), at(-100 + LEASE));
  await ledger.finish({ digestId: 'killed-midway', batch: 1 }, 'old-1');
  await ledger.claim({ digestId: 'killed-midway', batch: 2 }, 'old-2', at(-90), at(-90 + LEASE));
  await ledger.markAttempting({ digestId: 'killed-midway', batch: 2 }, 'old-2', ['s2'], at(-5), at(-5 + LEASE));
  await ledger.claim({ digestId: 'killed-midway', batch: 4 }, 'this-process', at(10), at(10 + LEASE));

  await queuedSend(ledger, 'finished', 1);
  await ledger.claim({ digestId: 'finished', batch: 1 }, 'old-f', at(-100), at(-100 + LEASE));
  await ledger.finish({ digestId: 'finished', batch: 1 }, 'old-f');

  // preparing: the snapshot's owner stopped 30 s ago, its lease runs 4.5 more minutes.
  await ledger.openJob('preparing', 'old-process', at(-30), at(-30 + LEASE));

  const now = () => at(20);
  const startSend = (digestId: string) =>
    startDigestSend({ digests, subscribers: new InMemorySubscriberStore(), ledger, queue, now, newId: () => 'starter' }, digestId);
  return { ledger, digests, queue, now, startSend };
}

describe('resumeSends', () => {
  it('queues again what a stopped process left unfinished, giving back its claims but not this process’s', async () => {
    const { ledger, digests, queue, now, startSend } = await setUp();
    const resumed = await resumeSends({ digests, ledger, startSend, startedAt: at(0), now });

    expect(resumed.digests.sort()).toEqual(['killed-midway', 'preparing']);
    expect(queue.take()).toEqual([
      { digestId: 'killed-midway', batch: 2 },
      { digestId: 'killed-midway', batch: 3 },
    ]);
    expect(resumed.batches).toBe(2);
    const batch2 = (await ledger.getBatch({ digestId: 'killed-midway', batch: 2 }))!;
    // Given back with what it recorded: the next claim flags s2 for review instead of mailing it again.
    expect(batch2).toMatchObject({ status: 'pending', results: { s2: { status: 'attempting' } } });
    expect(await ledger.getBatch({ digestId: 'killed-midway', batch: 4 })).toMatchObject({ status: 'sending', claimId: 'this-process' });
    expect(resumed.waiting).toEqual([{ digestId: 'preparing', at: at(-30 + LEASE) }]);
  });

  it('finds nothing to do when every send finished', async () => {
    const { ledger, digests, queue, now } = await setUp();
    const startSend = async (digestId: string) => {
      throw new Error(`${digestId} should not be started`);
    };
    const onlyFinished = { list: async () => (await digests.list()).filter((d) => d.id === 'finished') };
    expect(await resumeSends({ digests: onlyFinished, ledger, startSend, startedAt: at(0), now })).toEqual({
      digests: [],
      batches: 0,
      waiting: [],
    });
    expect(queue.take()).toEqual([]);
  });
});
