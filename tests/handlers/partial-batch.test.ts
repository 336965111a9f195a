import { describe, expect, it } from 'vitest';
import { partialBatch } from '../../functions/handlers/partial-batch.js';

const ids = (response: { batchItemFailures: Array<{ itemIdentifier: string }> }) => response.batchItemFailures.map((f) => f.itemIdentifier);

describe('partialBatch', () => {
  it('lists exactly the records that must come again: asked for, or failed', async () => {
    const lines: string[] = [];
    const response = await partialBatch(['a', 'b', 'c', 'd'], { idOf: (r) => r, log: (line) => lines.push(line) }, async (r) => {
      if (r === 'c') throw new Error('the table is down');
      return r === 'b' ? 'again' : 'done';
    });
    expect(ids(response)).toEqual(['b', 'c']);
    expect(lines).toEqual(['c failed']);
  });

  it('for a stream, stops at the first failure: the stream resumes there, so later records would run twice', async () => {
    const seen: string[] = [];
    const response = await partialBatch(['1', '2', '3'], { idOf: (r) => r, stopAtFirstFailure: true, log: () => {} }, async (r) => {
      seen.push(r);
      if (r === '2') throw new Error('publish failed');
      return 'done';
    });
    expect(ids(response)).toEqual(['2']);
    expect(seen).toEqual(['1', '2']);
  });

  it('for SQS, handles records at once when asked, and still lists exactly the ones that must come again', async () => {
    let running = 0;
    let most = 0;
    const response = await partialBatch(['a', 'b', 'c', 'd', 'e'], { idOf: (r) => r, concurrency: 2, log: () => {} }, async (r) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (r === 'd') throw new Error('the table is down');
      return r === 'a' ? 'again' : 'done';
    });
    expect(most).toBe(2);
    expect(ids(response)).toEqual(['a', 'd']);
  });

  it('names a failed record in the log as asked', async () => {
    const lines: string[] = [];
    await partialBatch(
      [{ id: 's-1', run: 'r-1' }],
      { idOf: (r) => r.id, nameOf: (r) => `run ${r.run}`, log: (line) => lines.push(line) },
      () => Promise.reject(new Error('no')),
    );
    expect(lines).toEqual(['run r-1 failed']);
  });
});
