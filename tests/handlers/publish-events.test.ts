import { describe, expect, it } from 'vitest';
import { queuedRunsIn } from '../../functions/adapters/run-stream.js';
import type { PublishReport } from '../../functions/core/publish/ports.js';
import { publishEvents } from '../../functions/handlers/publish-events.js';

const report = (written: string[]): PublishReport => ({ full: false, written, unchanged: 0, deleted: [], durationMs: 1 });
const insert = (runId: string, sequenceNumber: string) => ({
  eventName: 'INSERT' as const,
  dynamodb: { SequenceNumber: sequenceNumber, NewImage: { pk: { S: `RUN#${runId}` }, sk: { S: 'RUN' }, status: { S: 'queued' } } },
});

describe('the publish function’s events', () => {
  it('runs the queued runs a stream batch announces, in order, and stops at the first that fails', async () => {
    const ran: string[] = [];
    const handler = publishEvents(
      {
        queuedRunsIn,
        runQueued: async (runId) => {
          ran.push(runId);
          if (runId === 'b') throw new Error('S3 is down');
          return report([runId]);
        },
        runScheduled: () => Promise.reject(new Error('not a schedule')),
      },
      () => {},
    );
    const response = await handler({ Records: [insert('a', '100'), insert('b', '200'), insert('c', '300')] });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(ran).toEqual(['a', 'b']);
  });

  it('publishes on the schedule and answers with its report', async () => {
    const times: string[] = [];
    const handler = publishEvents({
      queuedRunsIn,
      runQueued: () => Promise.reject(new Error('not a stream')),
      runScheduled: async (time) => {
        times.push(time);
        return report(['index.html']);
      },
    });
    expect(await handler({ source: 'pressrun.schedule', scheduledTime: '2025-06-01T07:00:00Z' })).toEqual(report(['index.html']));
    expect(times).toEqual(['2025-06-01T07:00:00Z']);
  });
});
