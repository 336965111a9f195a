import { describe, expect, it } from 'vitest';
import { VIEWER_ADDRESS_HEADER, VIEWER_ADDRESS_SOURCE } from '../../cdk/constructs/edge-functions.js';

type Request = { uri: string; headers: Record<string, { value: string }> };
// The CloudFront Function source, run as CloudFront runs it: a `handler(event)` in its own scope.
const handler = new Function(`${VIEWER_ADDRESS_SOURCE}; return handler;`)() as (event: {
  viewer: { ip: string };
  request: Request;
}) => Request;

describe('the API viewer-request function', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8::1', '[2001:db8::1]'],
  ])('stamps the viewer address %s, replacing what the client sent', (ip, stamped) => {
    const request = handler({
      viewer: { ip },
      request: { uri: '/api/subscribe', headers: { [VIEWER_ADDRESS_HEADER]: { value: '198.51.100.1' } } },
    });
    expect(request.headers[VIEWER_ADDRESS_HEADER]).toEqual({ value: stamped });
    expect(request.uri).toBe('/api/subscribe');
  });
});
