import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { auth, buildApi, makeDigestPreview, readJson, type ProblemJson } from './harness.js';

let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

describe('GET /api/digest/preview', () => {
  it('is for publishers only: without the bearer token, or with another, a 401 and no rendering', async () => {
    let renders = 0;
    const { app } = buildApi(aws, {
      previewDigest: async () => {
        renders++;
        return makeDigestPreview();
      },
    });
    const missing = await app.request('/api/digest/preview');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect((await readJson<ProblemJson>(missing)).errors[0]?.field).toBe('authorization');
    expect((await app.request('/api/digest/preview', { headers: { Authorization: 'Bearer not-the-token' } })).status).toBe(401);
    expect(renders).toBe(0);
    expect((await app.request('/api/digest/preview', { headers: auth })).status).toBe(200);
    expect(renders).toBe(1);
  });

  it('shows the HTML of the next digest by default, sandboxed', async () => {
    const { app } = buildApi(aws);
    const response = await app.request('/api/digest/preview', { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(await response.text()).toBe(makeDigestPreview().html);
  });

  it('shows the plain-text part with ?format=text', async () => {
    const { app } = buildApi(aws);
    const response = await app.request('/api/digest/preview?format=text', { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(await response.text()).toBe(makeDigestPreview().text);
  });

  it('gives subject, HTML and text together with ?format=json', async () => {
    const { app } = buildApi(aws);
    const response = await app.request('/api/digest/preview?format=json', { headers: auth });
    expect(await readJson(response)).toEqual(makeDigestPreview());
  });

  it('answers 404 with a problem when nothing is new', async () => {
    const { app } = buildApi(aws, { previewDigest: async () => undefined });
    const response = await app.request('/api/digest/preview', { headers: auth });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await readJson<ProblemJson>(response)).detail).toMatch(/nothing is new/i);
  });
});
