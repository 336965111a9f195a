/**
 * The digest preview is rendered once per content: MJML compiles, counted in the MJML module
 * itself, for repeated and concurrent previews of the same articles, then after an article is
 * added and after one is edited (tests/support/preview-compiles.ts runs them in its own process).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const projectRoot = new URL('../../', import.meta.url).pathname;

describe('the digest preview (wiring/publishing.ts)', () => {
  it('compiles MJML once per content: once for fifteen previews of the same articles, once more after each change', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/preview-compiles.ts'], {
      cwd: projectRoot,
    });
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as unknown;
    expect(outcome).toEqual({ steps: { tenCalls: 1, fiveAtOnce: 1, newArticle: 2, edited: 3 }, previews: 3, lastShowsEdit: true });
  });
});
