/**
 * The local site as a hostile or unlucky reader meets it, over real HTTP (paths sent exactly as
 * written): redirects that must stay on the site, paths no object can have, the security
 * headers CloudFront adds, and reads while a publish rewrites what they read.
 */
import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteContentSecurityPolicy } from '../../functions/core/pages/content-security-policy.js';
import { createLocalApp, type LocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack, type LocalStack } from '../../functions/wiring/local.js';

const ARTICLE = 'articles/russia-and-ukraine-indicate-willingness-for-direct-talks-amid-pressure-from';

let dataDir: string;
let stack: LocalStack;
let local: LocalApp;
let server: ServerType;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-site-serving-'));
  stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_API_TOKEN: 'local-test-token' }, port: 8787 });
  local = createLocalApp(stack, { contentDir: join(projectRoot.pathname, 'content') });
  await local.publisher.publishNow();
  server = serve({ fetch: local.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await local?.publisher.close();
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with the path exactly as given: no client normalizes it first. */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('redirects of the local site', () => {
  it('redirects a directory URL without its slash to the one with it', async () => {
    const answer = await get(`/${ARTICLE}`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`/${ARTICLE}/`);
  });

  it.each([`//${ARTICLE}`, `///${ARTICLE}`, `/\\${ARTICLE}`, `/\\/${ARTICLE}`, `//\\${ARTICLE}`, `/%2F${ARTICLE}`, `/%5C${ARTICLE}`])(
    'never sends a reader of %s to another host',
    async (path) => {
      const answer = await get(path);
      expect(answer.status).toBeLessThan(500);
      if (answer.status >= 300 && answer.status < 400) {
        const target = new URL(String(answer.headers.location), 'http://localhost:8787/');
        expect(target.host).toBe('localhost:8787');
        expect(String(answer.headers.location)).toMatch(/^\/[^/\\]/);
      }
    },
  );
});

describe('paths no object can have', () => {
  it.each([
    ['a percent-encoded NUL', 400, '/%00'],
    ['a NUL inside a directory URL', 400, '/a%00b/'],
    ['a percent-encoded tab', 400, '/%09/x'],
    ['5,000 characters', 400, `/${'a'.repeat(5_000)}`],
    ['a key of 1,025 bytes', 400, `/${'a'.repeat(1_025)}`],
    ['a part longer than a file name', 404, `/${'a'.repeat(300)}/`],
    ['a part of 240 bytes', 404, `/${'a'.repeat(240)}`],
    ['broken percent-encoding', 400, '/%E0%A4%A/'],
  ])('answers %s with %i, never a 5xx', async (_, status, path) => {
    const answer = await get(path);
    expect(answer.status).toBe(status);
  });
});

describe('the headers CloudFront’s response headers policy adds', () => {
  const policy = () =>
    siteContentSecurityPolicy({
      siteOrigins: ['http://localhost:8787'],
      framedBy: [`http://localhost:${new URL(stack.mail.inboxUrl!).port}`, `http://127.0.0.1:${new URL(stack.mail.inboxUrl!).port}`],
    });

  it.each(['/', `/${ARTICLE}/`, '/feed.xml', '/no/such/page/', `/${ARTICLE}`])('come with %s', async (path) => {
    const answer = await get(path);
    expect(answer.headers['content-security-policy']).toBe(policy());
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('allow no script, inline styles, the images articles carry, and the form posting to the site', () => {
    const directives = new Map(
      policy()
        .split('; ')
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.has('script-src')).toBe(false);
    expect(directives.get('style-src')).toEqual(["'unsafe-inline'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'https:', 'http:', 'data:']);
    expect(directives.get('form-action')).toEqual(["'self'", 'http://localhost:8787']);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('are met by every published page: no script, no stylesheet or font to load, no form posting elsewhere', async () => {
    for await (const { key } of stack.stores.objects.list()) {
      if (!key.endsWith('.html')) continue;
      const found = await stack.stores.objects.get(key);
      const html = Buffer.from(found && found !== 'not-modified' ? found.body : []).toString('utf8');
      expect({ key, script: /<script|\son[a-z]+=|javascript:/i.test(html) }).toEqual({ key, script: false });
      expect({ key, external: /<link[^>]+rel="?stylesheet|@import|@font-face|<iframe|<object|<embed/i.test(html) }).toEqual({
        key,
        external: false,
      });
      for (const [, action] of html.matchAll(/<form[^>]*action="([^"]*)"/g)) {
        expect(new URL(action!, 'http://localhost:8787/').origin).toBe('http://localhost:8787');
      }
    }
  });
});

describe('reading while a publish rewrites the object', () => {
  it('never returns a torn object: each read is one version, whole, under its own ETag', async () => {
    const published = await get('/feed.xml', { Accept: 'application/rss+xml' });
    const versions = ['a', 'b'].map((fill) => `<?xml version="1.0"?><rss>${fill.repeat(500_000)}</rss>`);
    const hashes = new Set([published.body, ...versions].map((v) => createHash('md5').update(v).digest('hex')));
    let writing = true;
    let reads = 0;
    const writer = (async () => {
      // A publish writes many objects, each once: a moment passes before the same key is written again.
      // On a loaded machine a read takes longer, so the writes go on until enough reads met them.
      for (let i = 0; i < 14 || (reads < 20 && i < 150); i++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await stack.stores.objects.put({
          key: 'feed.xml',
          body: versions[i % 2]!,
          contentType: 'application/rss+xml; charset=utf-8',
          cacheControl: 'max-age=60',
        });
      }
      writing = false;
    })();
    const torn: string[] = [];
    while (writing) {
      const answer = await get('/feed.xml', { Accept: 'application/rss+xml' });
      reads++;
      const md5 = createHash('md5').update(answer.body).digest('hex');
      if (answer.status !== 200 || !hashes.has(md5) || answer.headers.etag !== `"${md5}"`) {
        torn.push(`${answer.status}: ${answer.body.length} bytes, etag ${String(answer.headers.etag)}`);
      }
    }
    await writer;
    expect(torn).toEqual([]);
    expect(reads).toBeGreaterThanOrEqual(20);
  }, 60_000);
});
