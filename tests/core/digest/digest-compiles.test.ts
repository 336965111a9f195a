/**
 * MJML compiles per digest, counted in the MJML module itself (tests/support/digest-compiles.ts
 * runs the digests in its own process): one on the normal path, the articles beyond the site's
 * limit listed included; more only when the HTML is over budget.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const projectRoot = new URL('../../../', import.meta.url).pathname;

describe('MJML compiles per digest', () => {
  it('is one for 20 full cards, and for 20 cards and 5 listed; two for a list; a few more only when even the list is over budget', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/digest-compiles.ts'], {
      cwd: projectRoot,
    });
    const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, { compiles: number; carried: number; bytes: number }>;
    expect(measured.twenty).toMatchObject({ compiles: 1, carried: 20 });
    expect(measured.twentyAndFiveListed).toMatchObject({ compiles: 1, carried: 25 });
    expect(measured.twentyAndFiveListed!.bytes).toBeLessThan(90_000);
    expect(measured.twoHundred).toMatchObject({ compiles: 2, carried: 200 });
    expect(measured.sixtyIn20k!.carried).toBeLessThan(60);
    expect(measured.sixtyIn20k!.bytes).toBeLessThanOrEqual(20_000);
    expect(measured.sixtyIn20k!.compiles).toBeGreaterThan(2);
    expect(measured.sixtyIn20k!.compiles).toBeLessThanOrEqual(5);
  });

  it('is one for full articles that fit, and one when their own HTML is over the budget (straight to summaries)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/digest-compiles.ts'], {
      cwd: projectRoot,
    });
    const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, { compiles: number; full: boolean }>;
    expect(measured.threeInFull).toMatchObject({ compiles: 1, full: true });
    expect(measured.twentyInFull).toMatchObject({ compiles: 1, full: false });
  });
});
