import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const coreDir = new URL('../../functions/core/', import.meta.url).pathname;
const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => join(coreDir, f));

/** What the pure core may never reach for: the outside world, a server framework, the environment. */
const forbidden: Array<[string, RegExp]> = [
  ['an AWS SDK', /from ['"]@aws-sdk\//],
  ['hono outside hono/jsx and hono/html', /from ['"]hono(?:\/(?!jsx|html)[^'"]*)?['"]/],
  ['the file system', /from ['"](?:node:)?fs(?:\/promises)?['"]/],
  ['nodemailer', /from ['"]nodemailer['"]/],
  ['an adapter', /from ['"][./]*(?:adapters|http|handlers|local)\//],
  ['the environment', /\bprocess\.env\b/],
  ['the clock', /\bDate\.now\(\)|new Date\(\)/],
];

describe('functions/core', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(forbidden)('never imports or touches %s', (_what, pattern) => {
    const offenders = files.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(coreDir, file));
    expect(offenders).toEqual([]);
  });
});
