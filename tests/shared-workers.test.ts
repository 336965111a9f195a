/**
 * vitest.config.ts lets test files share a worker's loaded modules (isolate: false). That holds
 * only while no test changes what another file would load or read: this keeps it so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const testsDir = new URL('./', import.meta.url).pathname;
const files = readdirSync(testsDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(test|client)\.tsx?$|support\/.*\.ts$/.test(f) && !f.endsWith('shared-workers.test.ts'))
  .map((f) => join(testsDir, f));

const leaks: Array<[string, RegExp]> = [
  ['mocks a module', /\bvi\.(?:mock|doMock|unmock)\(/],
  ['stubs a global or the environment', /\bvi\.stub(?:Global|Env)\(/],
  ['writes process.env', /\bprocess\.env(?:\.\w+|\[[^\]]+\])\s*(?:=[^=]|\?\?=|\|\|=)|delete process\.env/],
];

describe('test files that share a worker', () => {
  it('are found', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(leaks)('never include one that %s', (_what, pattern) => {
    expect(files.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(testsDir, file))).toEqual([]);
  });
});
