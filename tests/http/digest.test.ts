import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { buildApi, makeDigestPreview, readJson, type ProblemJson } from './harness.js';

let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

describe('GET /api/digest/preview', () => {
  it('shows the HTML of the next digest by default, sandboxed', async () => {
    const { app } = buildApi(aws);
    const response = await app.request('/api/digest/preview');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(await response.text()).toBe(makeDigestPreview().html);
  });

  it('shows the plain-text part with ?format=text', async () => {
    const { app } = buildApi(aws);
    const response = await app.request('/api/digest/preview?format=text');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(await response.text()).toBe(makeDigestPreview().text);
  });

  it('gives subject, HTML and text together with ?format=json', async () => {
    const { app } = buildApi(aws);
    const response = await app.request('/api/digest/preview?format=json');
    expect(await readJson(response)).toEqual(makeDigestPreview());
  });

  it('answers 404 with a problem when nothing is new', async () => {
    const { app } = buildApi(aws, { previewDigest: async () => undefined });
    const response = await app.request('/api/digest/preview');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await readJson<ProblemJson>(response)).detail).toMatch(/nothing is new/i);
  });
});
