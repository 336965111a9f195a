/**
 * The distribution's CloudFront Functions (viewer request; one per behavior and event).
 *
 * - The site: functions/edge/feed-page-rewrite.js, which maps directory URLs to their
 *   index.html (the bucket is a private REST origin with no index documents) and gives
 *   browsers a feed's HTML page. It is tested where it lives (tests/edge/).
 * - The API: stamps the viewer's address into a header the API trusts for per-client rate
 *   limits, replacing any value a client sent. Without it the API would see CloudFront's
 *   edge address; the managed origin request policy forwards viewer headers but cannot add
 *   CloudFront-Viewer-Address without also forwarding Host, which API Gateway refuses.
 */
import { fileURLToPath } from 'node:url';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

export const SITE_VIEWER_REQUEST_FILE = fileURLToPath(new URL('../../functions/edge/feed-page-rewrite.js', import.meta.url));

/** Must match VIEWER_ADDRESS_HEADER in functions/wiring/api.ts. */
export const VIEWER_ADDRESS_HEADER = 'x-pressrun-viewer-address';

// An IPv6 address is bracketed, as in CloudFront-Viewer-Address, so a reader can tell it from "address:port".
export const VIEWER_ADDRESS_SOURCE = `function handler(event) {
  var ip = event.viewer.ip;
  event.request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: ip.indexOf(':') === -1 ? ip : '[' + ip + ']' };
  return event.request;
}`;

export function siteViewerRequestFunction(scope: Construct, id: string): cloudfront.Function {
  return new cloudfront.Function(scope, id, {
    code: cloudfront.FunctionCode.fromFile({ filePath: SITE_VIEWER_REQUEST_FILE }),
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    comment: 'Directory URLs read index.html; browsers opening a feed get its HTML page',
  });
}

export function apiViewerRequestFunction(scope: Construct, id: string): cloudfront.Function {
  return new cloudfront.Function(scope, id, {
    code: cloudfront.FunctionCode.fromInline(VIEWER_ADDRESS_SOURCE),
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    comment: 'Stamps the viewer address for the API rate limits',
  });
}
