import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { download, feedKeys, run } from './support.js';

/** A folder for this test's downloads, removed when the test ends. */
async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const site = inject('site');
const SCHEMAS = new URL('../../functions/core/feeds/schemas/', import.meta.url).pathname;

/** xmllint's verdict on each file: its own "<file> validates" or "<file> fails to validate" lines. */
async function xmllint(args: string[], files: string[]): Promise<{ valid: string[]; output: string }> {
  const result = await run('xmllint', ['--noout', ...args, ...files], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
  const output = `${result.stdout}${result.stderr}`;
  return { valid: files.filter((file) => output.includes(`${file} validates`)), output };
}

describe('xmllint', () => {
  const { rss, atom } = feedKeys(site.keys);

  it('finds RSS feeds and archive pages, and Atom ones, for the site and every tag', () => {
    expect(rss).toContain('feed.xml');
    expect(rss.filter((k) => k.startsWith('archive/')).length).toBeGreaterThanOrEqual(20);
    expect(atom).toContain('tags/topic-1/archive/atom-1.xml');
  });

  it.each([
    ['RSS 2.0', 'rss-2.0.rng', 'rss'],
    ['Atom 1.0', 'atom-1.0.rng', 'atom'],
  ] as const)('validates every %s document against the RelaxNG schema', async (_, schema, format) => {
    const keys = format === 'rss' ? rss : atom;
    const files = await download(site.baseUrl, keys, await scratchDir(`pressrun-xmllint-${format}-`));

    const { valid, output } = await xmllint(['--relaxng', join(SCHEMAS, schema)], files);

    expect(valid.length, output.slice(0, 2000)).toBe(files.length);
  });

  it('reads the sitemaps as well-formed XML', async () => {
    const keys = site.keys.filter((k) => k === 'sitemap.xml' || k.startsWith('sitemaps/'));
    const files = await download(site.baseUrl, keys, await scratchDir('pressrun-xmllint-sitemaps-'));

    await expect(run('xmllint', ['--noout', ...files])).resolves.toMatchObject({ stderr: '' });
    expect(keys.length).toBeGreaterThanOrEqual(4);
  });
});
