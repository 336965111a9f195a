/** What `pressrun publish` and `npm start` print of a run's report and of an import. */
import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../functions/core/errors.js';
import { formatImportReport, formatPublishReport } from '../../functions/local/reports.js';
import { makePublishReport } from '../support/factories.js';

describe('a publish report, printed', () => {
  it('counts what was written, unchanged and deleted, and the digest it made', () => {
    expect(formatPublishReport({ ...makePublishReport(3), durationMs: 812 })).toBe(
      'incremental: 3 written, 12 unchanged, 1 deleted, digest 2025-05-01 (3 articles, 41000 bytes) in 812 ms',
    );
  });

  it('says "1 article" of a digest of one (it said "1 articles")', () => {
    const report = makePublishReport(3);
    expect(formatPublishReport({ ...report, digest: { ...report.digest!, articles: 1 } })).toContain('(1 article, 41000 bytes)');
  });

  it('counts every key of a report whose stored lists hold only the first', () => {
    const report = { ...makePublishReport(2_000), listed: { written: 240_000, deleted: 7 }, durationMs: 1 };
    expect(formatPublishReport(report)).toMatch(/^full: 240000 written, 12 unchanged, 7 deleted,/);
  });
});

describe('an import report, printed', () => {
  it('names each file that failed once, and each problem once (the file and the message were printed twice)', () => {
    const failed = [
      {
        file: 'content/undated.md',
        error: new PressrunError('invalid', 'content/undated.md: invalid article: published: is required', [
          { field: 'published', message: 'is required' },
        ]),
      },
      {
        file: 'content/2025-04-23-b.md',
        error: new PressrunError('conflict', 'An article with slug "b" already exists', [{ field: 'slug', message: 'is already taken' }]),
      },
    ];
    expect(formatImportReport({ created: ['a'], updated: [], unchanged: [], deleted: [], failed })).toBe(
      [
        '1 created, 0 updated, 0 unchanged, 0 deleted, 2 failed',
        '  content/undated.md: invalid article: published: is required',
        '  content/2025-04-23-b.md: An article with slug "b" already exists',
        '    slug: is already taken',
      ].join('\n'),
    );
  });
});
