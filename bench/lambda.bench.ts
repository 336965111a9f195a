/**
 * `npm run bench` (second part): the Lambda bundles, built by NodejsFunction exactly as the
 * stacks build them (cdk/bundle-entries.ts).
 *
 *   size        each function's bundle, minified
 *   cold start  a fresh `node` process importing the API bundle and answering one API
 *               Gateway event (GET /api/health, which needs no secret), against the same for an
 *               empty Hono Lambda bundle (bench/empty-lambda.ts). Rounds alternate them
 *               so all see the same machine; medians are compared. Also measured: the API
 *               answering a confirm link, whose first request reads the signing key from a
 *               local secrets-extension stand-in, as most reader requests do. The articles function
 *               (/api/articles*) is measured the same way, answering an unauthenticated
 *               GET /api/articles.
 *
 * Targets (issue #4): the API bundle at most 700 KB; its cold start at most 2× the empty one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntries } from '../cdk/bundle-entries.js';
import { entryPath } from '../cdk/bundling.js';
import { runHandler, startSecretsExtension } from '../tests/support/aws-stand-ins.js';

const ROUNDS = Number(process.env.BENCH_COLD_START_ROUNDS ?? 9);
const API_LIMIT_BYTES = 700 * 1024;

const dir = await mkdtemp(join(tmpdir(), 'pressrun-lambda-bench-'));
const secrets = await startSecretsExtension(
  {
    'arn:api-token': 'bench-api-token',
    'arn:signing-key': 'a-signing-key-of-at-least-thirty-two-characters',
    'arn:origin': 'the-value-cloudfront-sends',
  },
  'bench-session',
);
try {
  const bundles = bundleEntries(
    {
      api: entryPath('api'),
      articles: entryPath('articles'),
      publish: entryPath('publish'),
      sendWorker: entryPath('sendWorker'),
      sesEvents: entryPath('sesEvents'),
      empty: fileURLToPath(new URL('./empty-lambda.ts', import.meta.url)),
    },
    dir,
  );
  console.log('bundle sizes (minified, as deployed)');
  for (const [name, bundle] of Object.entries(bundles))
    console.log(`  ${name.padEnd(11)} ${(bundle.bytes / 1024).toFixed(0).padStart(6)} KB`);
  const apiKb = bundles.api.bytes / 1024;
  console.log(`API bundle: ${apiKb.toFixed(0)} KB (target ≤ 700 KB) ${bundles.api.bytes <= API_LIMIT_BYTES ? 'met' : 'NOT met'}`);

  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench-session',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(secrets.port),
    PRESSRUN_SITE_URL: 'https://news.example.com/',
    PRESSRUN_TABLE: 'bench',
    PRESSRUN_BUCKET: 'bench',
    PRESSRUN_API_TOKEN_SECRET_ID: 'arn:api-token',
    PRESSRUN_TOKEN_SECRET_ID: 'arn:signing-key',
    PRESSRUN_ORIGIN_SECRET_ID: 'arn:origin',
    PRESSRUN_SES_CONFIGURATION_SET: 'bench',
    PRESSRUN_SEND_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench',
    PRESSRUN_MAIL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-mail',
    PRESSRUN_MAIL_FROM: 'news@example.com',
    PRESSRUN_DIGEST_CADENCE: 'cron(0 7 * * ? *)',
  };
  const event = {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath: '/api/health',
    rawQueryString: '',
    // As CloudFront sends it: the origin check reads its secret on the first request, as every reader's first request does.
    headers: { host: 'bench.execute-api.us-east-1.amazonaws.com', 'x-pressrun-origin-verify': 'the-value-cloudfront-sends' },
    requestContext: {
      http: { method: 'GET', path: '/api/health', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: 'ANY /api/{proxy+}',
      stage: '$default',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
  // The articles function answers an unauthenticated list with 401 after reading its token: no table access needed.
  const at = (path: string, query = '') => ({
    ...event,
    rawPath: path,
    rawQueryString: query,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, path } },
  });
  const articlesEvent = at('/api/articles');
  // A reader's link: the first request that needs the signing key (read through the extension) pays for it.
  const confirmEvent = at('/api/confirm', 'token=expired-or-forged');
  const coldStart = async (file: string, request = event, status = 200) => {
    const outcome = await runHandler(file, 'handler', request, env);
    if (!outcome.ok || (outcome.result as { statusCode: number }).statusCode !== status)
      throw new Error(`${file} did not answer ${status}: ${JSON.stringify(outcome)}`);
    return outcome.ms;
  };
  const times = { empty: [] as number[], api: [] as number[], confirm: [] as number[], articles: [] as number[] };
  // Warms the file system cache for all three.
  await coldStart(bundles.empty.file);
  await coldStart(bundles.api.file);
  await coldStart(bundles.articles.file, articlesEvent, 401);
  for (let round = 0; round < ROUNDS; round++) {
    times.empty.push(await coldStart(bundles.empty.file));
    times.api.push(await coldStart(bundles.api.file));
    times.confirm.push(await coldStart(bundles.api.file, confirmEvent, 400));
    times.articles.push(await coldStart(bundles.articles.file, articlesEvent, 401));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const [empty, api, confirm, articles] = [median(times.empty), median(times.api), median(times.confirm), median(times.articles)];
  console.log('');
  console.log(`cold start, fresh process to first response (median of ${ROUNDS})`);
  const row = (label: string, ms: number) => console.log(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms`);
  row('empty Hono', empty);
  row('API, GET /api/health (reads the origin secret)', api);
  row('API, a confirm link (reads the signing key)', confirm);
  row('articles, GET /api/articles unauthenticated', articles);
  const ratio = api / empty;
  console.log(`API / empty Hono: ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? 'met' : 'NOT met'}`);
  console.log(
    `API on a confirm link / empty Hono: ${(confirm / empty).toFixed(2)}× (reads the signing key besides the origin secret)`,
  );
  console.log(`articles / empty Hono: ${(articles / empty).toFixed(2)}× (no target: only publishers call it)`);
} finally {
  await secrets.close();
  await rm(dir, { recursive: true, force: true });
}
