import { Hono } from 'hono';
import { getConnInfo } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { clientAddress, type ClientAddressOptions } from '../../functions/http/client-address.js';

async function addressOf(options: ClientAddressOptions, headers: Record<string, string> = {}, env?: object) {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, options)));
  const response = await app.request('/', { headers }, env);
  return response.text();
}

const lambdaEnv = { requestContext: { http: { sourceIp: '198.51.100.7' } } };

describe('clientAddress', () => {
  it('takes the address the runtime saw, through its getConnInfo', async () => {
    expect(await addressOf({ connInfo: getConnInfo }, {}, lambdaEnv)).toBe('198.51.100.7');
  });

  it('prefers the header the deployment trusts, without its port', async () => {
    const options = { trustedHeader: 'CloudFront-Viewer-Address', connInfo: getConnInfo };
    expect(await addressOf(options, { 'CloudFront-Viewer-Address': '203.0.113.9:4711' }, lambdaEnv)).toBe('203.0.113.9');
    expect(await addressOf(options, { 'CloudFront-Viewer-Address': '[2001:db8::1]:4711' }, lambdaEnv)).toBe('2001:db8::1');
  });

  it('never believes X-Forwarded-For, which any client can write', async () => {
    expect(await addressOf({ connInfo: getConnInfo }, { 'X-Forwarded-For': '10.0.0.1' }, lambdaEnv)).toBe('198.51.100.7');
  });

  it('is "unknown" where no runtime tells it (app.request in tests)', async () => {
    expect(await addressOf({ connInfo: getConnInfo })).toBe('unknown');
    expect(await addressOf({})).toBe('unknown');
  });
});
