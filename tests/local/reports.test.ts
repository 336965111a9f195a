/** What `pressrun publish` prints of a run's report. */
import { describe, expect, it } from 'vitest';
import { formatPublishReport } from '../../functions/local/reports.js';
import { makePublishReport } from '../support/factories.js';

describe('a publish report, printed', () => {
  it('counts what was written, unchanged and deleted, and the digest it made', () => {
    expect(formatPublishReport({ ...makePublishReport(3), durationMs: 812 })).toBe(
      'incremental: 3 written, 12 unchanged, 1 deleted, digest 2025-05-01 (3 articles, 41000 bytes) in 812 ms',
    );
  });

  it('counts every key of a report whose stored lists hold only the first', () => {
    const report = { ...makePublishReport(2_000), listed: { written: 240_000, deleted: 7 }, durationMs: 1 };
    expect(formatPublishReport(report)).toMatch(/^full: 240000 written, 12 unchanged, 7 deleted,/);
  });
});
