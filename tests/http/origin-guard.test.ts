import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ORIGIN_HEADER, requireOrigin, type OriginGuardOptions } from '../../functions/http/origin-guard.js';
import { onError } from '../../functions/http/problem.js';

/** A secret with a current and (after a rotation) a previous version, counting reads. */
function secret(current: string, previous?: string) {
  const state = { current, previous, reads: 0 };
  const read: OriginGuardOptions['read'] = async (stage) => (state.reads++, stage === 'AWSCURRENT' ? state.current : state.previous);
  return { state, read };
}

function guarded(options: OriginGuardOptions) {
  const app = new Hono();
  app.onError(onError);
  app.use('*', requireOrigin(options));
  app.get('/api/health', (c) => c.json({ ok: true }));
  return (headers: Record<string, string> = {}) => app.request('/api/health', { headers });
}

describe('requireOrigin: CloudFront is the only way in', () => {
  it('answers a request without the origin header with a 403 problem, before any route runs', async () => {
    const request = guarded({ read: secret('s3cret-value').read });
    const response = await request({ 'x-pressrun-viewer-address': '203.0.113.9' });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.text()).toMatch(/CloudFront/);
  });

  it('refuses a wrong value, one of the same length, and a prefix of the right one', async () => {
    const request = guarded({ read: secret('s3cret-value').read });
    for (const value of ['nope', 's3cret-valuE', 's3cret', 's3cret-value-and-more']) {
      expect((await request({ [ORIGIN_HEADER]: value })).status, value).toBe(403);
    }
  });

  it('lets through the value CloudFront sends', async () => {
    const request = guarded({ read: secret('s3cret-value').read });
    expect((await request({ [ORIGIN_HEADER]: 's3cret-value' })).status).toBe(200);
  });

  it('reads one version of the secret on a cold start, not two', async () => {
    const { state, read } = secret('new-value', 'old-value');
    const request = guarded({ read });
    expect((await request({ [ORIGIN_HEADER]: 'new-value' })).status).toBe(200);
    expect((await request({ [ORIGIN_HEADER]: 'new-value' })).status).toBe(200);
    expect(state.reads).toBe(1);
  });

  it('accepts the previous value while a rotation reaches the distribution, even in an environment that just started', async () => {
    const request = guarded({ read: secret('new-value', 'old-value').read, now: () => 0 });
    expect((await request({ [ORIGIN_HEADER]: 'old-value' })).status).toBe(200);
    expect((await request({ [ORIGIN_HEADER]: 'new-value' })).status).toBe(200);
  });

  it('learns a rotated value without a restart, reading the secret again at most once a minute', async () => {
    const { state, read } = secret('first');
    let clock = 0;
    const request = guarded({ read, now: () => clock });
    expect((await request({ [ORIGIN_HEADER]: 'first' })).status).toBe(200);
    expect((await request({ [ORIGIN_HEADER]: 'a-guess' })).status).toBe(403);
    const reads = state.reads;
    state.current = 'second';
    state.previous = 'first';
    for (let i = 0; i < 20; i++) expect((await request({ [ORIGIN_HEADER]: 'second' })).status).toBe(403);
    expect(state.reads).toBe(reads);
    clock = 61_000;
    expect((await request({ [ORIGIN_HEADER]: 'second' })).status).toBe(200);
    expect((await request({ [ORIGIN_HEADER]: 'first' })).status).toBe(200);
  });

  it('answers 503, not 500, when the secret cannot be read, and reads it again on the next request', async () => {
    let fail = true;
    const request = guarded({ read: async () => (fail ? Promise.reject(new Error('extension down')) : 'value') });
    expect((await request({ [ORIGIN_HEADER]: 'value' })).status).toBe(503);
    fail = false;
    expect((await request({ [ORIGIN_HEADER]: 'value' })).status).toBe(200);
  });

  it('never accepts an empty header, nor anything when the function was given no secret', async () => {
    expect((await guarded({ read: secret('value').read })({ [ORIGIN_HEADER]: '' })).status).toBe(403);
    const unset = guarded({ read: async () => undefined });
    expect((await unset({ [ORIGIN_HEADER]: '' })).status).toBe(403);
    expect((await unset({ [ORIGIN_HEADER]: 'undefined' })).status).toBe(403);
  });
});
