import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { requireBearer, tokensMatch } from '../../functions/http/auth.js';
import { onError } from '../../functions/http/problem.js';

describe('tokensMatch', () => {
  it.each([
    ['the same token', 's3cret-token', 's3cret-token', true],
    ['a token differing in its last character', 's3cret-token', 's3cret-tokeN', false],
    ['a shorter prefix of the token', 's3cret', 's3cret-token', false],
    ['a longer token starting with it', 's3cret-token-and-more', 's3cret-token', false],
    ['an empty token', '', 's3cret-token', false],
    ['the same non-ASCII token', 'jeton-été', 'jeton-été', true],
    ['a token differing only in Unicode normalization', 'e\u0301', '\u00e9', false],
  ])('answers for %s', (_case, given, expected, result) => {
    expect(tokensMatch(given, expected)).toBe(result);
  });

  it('compares tokens of different lengths without throwing, unlike a bare timingSafeEqual', () => {
    expect(() => tokensMatch('a', 'a much longer token than the given one')).not.toThrow();
  });
});

describe('requireBearer with a token read when first needed', () => {
  function appWith(token: () => Promise<string>) {
    const app = new Hono();
    app.onError(onError);
    app.get('/guarded', requireBearer(token), (c) => c.text('in'));
    return app;
  }

  it('reads the token only for a request that carries one, and compares it', async () => {
    let reads = 0;
    const app = appWith(async () => {
      reads++;
      return 'deferred-token';
    });
    expect((await app.request('/guarded')).status).toBe(401);
    expect(reads).toBe(0);
    expect((await app.request('/guarded', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await app.request('/guarded', { headers: { authorization: 'Bearer deferred-token' } })).status).toBe(200);
    expect(reads).toBe(2);
  });

  it('lets nobody in when the token it reads is empty, and says the deployment is not ready rather than failing', async () => {
    const errors = vi.spyOn(console, 'error');
    const response = await appWith(async () => '').request('/guarded', { headers: { authorization: 'Bearer x' } });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/API token is empty/);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
