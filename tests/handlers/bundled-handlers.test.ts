/**
 * Every Lambda entry point, bundled by NodejsFunction exactly as the stacks bundle it, run
 * in a fresh `node` process against local stand-ins: s3rver and dynalite through the SDK's
 * own AWS_ENDPOINT_URL_* variables, an SMTP catcher (maildev) for mail, and small stand-ins
 * for what nothing local plays (SQS, CloudFront invalidations, the secrets extension); the
 * table's stream is played by handing the publish bundle the run item the API wrote.
 *
 * Each function gets exactly the variables the synthesized stack gives it: literal values
 * as they are, references (table name, queue URL, secret ARN …) replaced by their local
 * counterparts. A variable a handler needs and the stack forgets makes these tests fail.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntries, type Bundle } from '../../cdk/bundle-entries.js';
import { entryPath } from '../../cdk/bundling.js';
import { DynamoPublishRunStore } from '../../functions/adapters/dynamo-publish-run-store.js';
import { DynamoSubscriberStore } from '../../functions/adapters/dynamo-subscriber-store.js';
import { DynamoDigestStore } from '../../functions/adapters/dynamo-digest-store.js';
import { DynamoSendLedger } from '../../functions/adapters/dynamo-send-ledger.js';
import { subscriberId } from '../../functions/core/subscribers/email.js';
import { SEGMENT_BATCHES } from '../../functions/core/delivery/segments.js';
import { startMaildev, type RunningMaildev } from '../../functions/local/maildev.js';
import {
  runHandler,
  sqsEvent,
  startCloudFrontStandIn,
  streamInsert,
  httpApiEvent,
  startSecretsExtension,
  startSqsStandIn,
} from '../support/aws-stand-ins.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { localEnvironment, stackFunctions, type FunctionName, type StackFunction } from '../support/stack-functions.js';
import { confirmedSubscriber as confirmed, storeDigest } from '../support/delivery-data.js';

type Name = FunctionName;

const SESSION_TOKEN = 'local-session-token';
const API_TOKEN = 'bundled-api-token-7c1e9a';
const SIGNING_KEY = 'a-signing-key-of-at-least-thirty-two-characters';
const SECRET_ARN = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
const DISTRIBUTION_ID = 'E2EXAMPLE123';
const ORIGIN_SECRET = 'the-value-cloudfront-sends-3f9a';
const MAIL_QUEUE_URL = () => `${sqs.endpoint}/123456789012/pressrun-mail`;
const CHUNK_QUEUE_URL = () => `${sqs.endpoint}/123456789012/pressrun-publish-chunks`;

let dir: string;
let bundles: Record<'api' | 'articles' | 'publish' | 'sendWorker' | 'sesEvents', Bundle>;
let aws: LocalAws;
let maildev: RunningMaildev;
let secrets: Awaited<ReturnType<typeof startSecretsExtension>>;
let cloudfront: Awaited<ReturnType<typeof startCloudFrontStandIn>>;
let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
const env = {} as Record<Name, Record<string, string>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pressrun-bundles-'));
  bundles = bundleEntries(
    {
      api: entryPath('api'),
      articles: entryPath('articles'),
      publish: entryPath('publish'),
      sendWorker: entryPath('sendWorker'),
      sesEvents: entryPath('sesEvents'),
    },
    dir,
  );
  [aws, maildev, secrets, cloudfront, sqs] = await Promise.all([
    startLocalAws(),
    startMaildev({ web: false }),
    startSecretsExtension(
      { [SECRET_ARN('api-token')]: API_TOKEN, [SECRET_ARN('signing-key')]: SIGNING_KEY, [SECRET_ARN('origin')]: ORIGIN_SECRET },
      SESSION_TOKEN,
    ),
    startCloudFrontStandIn(),
    startSqsStandIn(),
  ]);
  // What the stack's references become here.
  const references: Record<string, string> = {
    PRESSRUN_SITE_URL: 'https://news.example.com/',
    PRESSRUN_TABLE: aws.tableName,
    PRESSRUN_BUCKET: aws.bucket,
    PRESSRUN_DISTRIBUTION_ID: DISTRIBUTION_ID,
    PRESSRUN_SEND_QUEUE_URL: `${sqs.endpoint}/123456789012/pressrun-send`,
    PRESSRUN_MAIL_QUEUE_URL: MAIL_QUEUE_URL(),
    PRESSRUN_PUBLISH_CHUNK_QUEUE_URL: CHUNK_QUEUE_URL(),
    PRESSRUN_SES_CONFIGURATION_SET: 'pressrun-test',
    PRESSRUN_API_TOKEN_SECRET_ID: SECRET_ARN('api-token'),
    PRESSRUN_TOKEN_SECRET_ID: SECRET_ARN('signing-key'),
    PRESSRUN_ORIGIN_SECRET_ID: SECRET_ARN('origin'),
  };
  // What the Lambda runtime and its extension give every function, pointed at the stand-ins.
  const runtime = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_ENDPOINT_URL_S3: aws.endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: aws.endpoints.dynamodb,
    AWS_ENDPOINT_URL_CLOUDFRONT: cloudfront.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const [name, fn] of Object.entries(stackFunctions()) as Array<[Name, StackFunction]>) {
    env[name] = localEnvironment(name, fn, references, runtime);
    // The stack sets the extension's port (2773); the stand-in listens wherever it could.
    if (env[name].PARAMETERS_SECRETS_EXTENSION_HTTP_PORT) env[name].PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String(secrets.port);
  }
  // The other local-only override: the worker mails through SMTP (the SMTP catcher) instead of SES.
  Object.assign(env.sendWorker, {
    PRESSRUN_MAIL_TRANSPORT: 'smtp',
    PRESSRUN_SMTP_HOST: maildev.smtp.host,
    PRESSRUN_SMTP_PORT: String(maildev.smtp.port),
    PRESSRUN_SMTP_TLS: 'none',
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([aws?.close(), maildev?.close(), secrets?.close(), cloudfront?.close(), sqs?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface ApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A request as CloudFront's /api/* behavior forwards it: with the viewer's address and the origin secret. */
function httpEvent(method: string, path: string, options: { headers?: Record<string, string>; body?: string; query?: string } = {}) {
  const headers = { 'x-pressrun-viewer-address': '203.0.113.7', 'x-pressrun-origin-verify': ORIGIN_SECRET, ...options.headers };
  return httpApiEvent(method, options.query ? `${path}?${options.query}` : path, {
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}

/** Calls the function the HTTP API's routes send `path` to: the articles function for /api/articles and below, the preview function for the digest preview, else the API function. */
async function callApi(method: string, path: string, options: Parameters<typeof httpEvent>[2] = {}): Promise<ApiResult> {
  const name = /^\/api\/articles(\/|$)/.test(path) ? 'articles' : path === '/api/digest/preview' ? 'preview' : 'api';
  const [file, exportName] = name === 'preview' ? [bundles.publish.file, 'preview'] : [bundles[name].file, 'handler'];
  const outcome = await runHandler(file, exportName, httpEvent(method, path, options), env[name]);
  if (!outcome.ok) throw new Error(`The ${name} handler failed: ${outcome.errorType}: ${outcome.errorMessage}\n${outcome.output}`);
  return outcome.result as ApiResult;
}

const auth = { authorization: `Bearer ${API_TOKEN}` };
const json = { 'content-type': 'application/json' };
const articleBody = (title: string, published: string) =>
  JSON.stringify({ title, body: `Reported from the town hall: **${title}**.`, tags: ['town'], published });

async function objectText(key: string): Promise<string | undefined> {
  try {
    const { Body } = await aws.s3Client.send(new GetObjectCommand({ Bucket: aws.bucket, Key: key }));
    return await Body!.transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function confirmedSubscriber(address: string): Promise<void> {
  await new DynamoSubscriberStore(aws.doc, aws.tableName).save(confirmed(address, '2025-05-01T00:00:00.000Z'), 0);
}

describe('the API bundle', () => {
  it('answers an API Gateway event for the health route, reading no secret but the origin check’s', async () => {
    const before = secrets.requests.length;
    const response = await callApi('GET', '/api/health');
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
    expect(secrets.requests.slice(before).every((id) => id === SECRET_ARN('origin'))).toBe(true);
  });

  it('refuses with a 403 whoever calls the execute-api endpoint directly, whatever viewer address they write', async () => {
    for (const path of ['/api/health', '/api/subscribe', '/api/articles', '/api/digest/preview']) {
      const direct = await callApi('GET', path, { headers: { 'x-pressrun-origin-verify': '', 'x-pressrun-viewer-address': '10.9.8.7' } });
      expect(direct.statusCode, path).toBe(403);
      expect(direct.headers['content-type'], path).toBe('application/problem+json');
    }
  });

  it('reads the origin secret first, then the signing key when a route needs it', async () => {
    const before = secrets.requests.length;
    const page = await callApi('GET', '/api/confirm', { query: 'token=not-a-token' });
    expect(page.statusCode).toBe(400);
    expect(secrets.requests.slice(before)).toEqual([SECRET_ARN('origin'), SECRET_ARN('signing-key')]);
  });

  it.each([
    ['API', 'POST', '/api/publish'],
    ['articles', 'POST', '/api/articles'],
  ])(
    '%s function: reads its bearer token from the secrets extension with the session token, never from its environment',
    async (_name, method, path) => {
      const before = secrets.requests.length;
      const refused = await callApi(method, path, {
        headers: { ...json, authorization: 'Bearer wrong' },
        body: articleBody('Refused', '2025-05-30T08:00:00.000Z'),
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(secrets.requests.slice(before)).toContain(SECRET_ARN('api-token'));
    },
  );

  it('keeps the API token out of every environment', () => {
    for (const name of Object.keys(env) as Name[]) expect(Object.values(env[name]), name).not.toContain(API_TOKEN);
  });

  it('documents the article routes the articles function serves', async () => {
    const document = JSON.parse((await callApi('GET', '/api/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/api/articles']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/api/articles/{slug}']!).sort()).toEqual(['delete', 'get', 'put']);
    expect(document.paths['/api/subscribe']).toBeDefined();
  });

  it('answers a path under /api/articles the articles function does not serve with a problem, not a crash', async () => {
    const response = await callApi('GET', '/api/articles/a/b', { headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('creates an article, previews the digest through the preview function, then publishes when the table stream hands the publish function the queued run', async () => {
    const created = await callApi('POST', '/api/articles', {
      headers: { ...auth, ...json },
      body: articleBody('Bridge reopens', '2025-05-30T08:00:00.000Z'),
    });
    expect(created.statusCode).toBe(201);
    const slug = (JSON.parse(created.body) as { slug: string }).slug;

    const refused = await callApi('GET', '/api/digest/preview', { query: 'format=json' });
    expect(refused.statusCode).toBe(401);
    const before = secrets.requests.length;
    const preview = await callApi('GET', '/api/digest/preview', { query: 'format=json', headers: auth });
    expect(preview.statusCode).toBe(200);
    expect(secrets.requests.slice(before)).toEqual([SECRET_ARN('origin'), SECRET_ARN('api-token')]);
    expect((JSON.parse(preview.body) as { html: string }).html).toContain('Bridge reopens');

    const queued = await callApi('POST', '/api/publish', { headers: auth });
    expect(queued.statusCode).toBe(202);
    const { runId } = JSON.parse(queued.body) as { runId: string };
    // What the table's stream hands the publish function: the run item the API wrote, as written.
    const { Item } = await aws.doc.send(
      new GetItemCommand({ TableName: aws.tableName, Key: { pk: { S: `RUN#${runId}` }, sk: { S: 'RUN' } } }),
    );
    expect(Item).toMatchObject({ sk: { S: 'RUN' }, status: { S: 'queued' } });
    const published = await runHandler(bundles.publish.file, 'handler', streamInsert([Item!]), env.publish);
    expect(published.ok, `${published.errorMessage}\n${published.output}`).toBe(true);
    expect(published.result).toEqual({ batchItemFailures: [] });
    // The first publish is a full one: it fans out over the chunk queue, which the chunk function (the same bundle) carries out, a message an invocation.
    let chunks = 0;
    for (let waiting = sqs.take(CHUNK_QUEUE_URL()); waiting.length > 0; waiting = sqs.take(CHUNK_QUEUE_URL())) {
      for (const message of waiting) {
        const carried = await runHandler(
          bundles.publish.file,
          'chunks',
          sqsEvent([message], 'arn:aws:sqs:us-east-1:123456789012:pressrun-publish-chunks'),
          env.publishChunks,
        );
        expect(carried.ok, `${carried.errorMessage}\n${carried.output}`).toBe(true);
        expect(carried.result).toEqual({ batchItemFailures: [] });
        chunks++;
      }
    }
    // The site's pages with the articles in no closed page yet, the tops, one sweep (a small archive), then the finish.
    expect(chunks).toBe(4);

    const run = JSON.parse((await callApi('GET', `/api/publish-runs/${runId}`)).body) as { status: string; report: { written: string[] } };
    expect(run.status).toBe('succeeded');
    expect(run.report.written).toContain(`articles/${slug}/index.html`);
    expect(await objectText(`articles/${slug}/index.html`)).toContain('Bridge reopens');
    expect(await objectText('feed.xml')).toContain('Bridge reopens');

    const invalidated = cloudfront.invalidations.at(-1)!;
    expect(invalidated.distributionId).toBe(DISTRIBUTION_ID);
    expect(invalidated.paths).toEqual(
      expect.arrayContaining([`/articles/${slug}/`, `/articles/${slug}/index.html`, '/feed.xml', '/', '/index.html']),
    );
  });
});

describe('a subscription through the API and send-worker bundles', () => {
  it('queues the request from the API, touching nothing about the address; the worker mails its confirmation once however often SQS delivers it', async () => {
    const address = 'queued-reader@example.org';
    const before = (await maildev.list()).length;
    const subscribed = await callApi('POST', '/api/subscribe', { headers: json, body: JSON.stringify({ email: address }) });
    expect(subscribed.statusCode).toBe(202);
    expect((await maildev.list()).length).toBe(before);
    expect(await new DynamoSubscriberStore(aws.doc, aws.tableName).get(subscriberId(address))).toBeUndefined();

    const queued = sqs.take(MAIL_QUEUE_URL());
    expect(queued).toHaveLength(1);
    for (let delivery = 0; delivery < 2; delivery++) {
      const sent = await runHandler(
        bundles.sendWorker.file,
        'handler',
        sqsEvent(queued, 'arn:aws:sqs:us-east-1:123456789012:pressrun-mail'),
        env.sendWorker,
      );
      expect(sent.ok, `${sent.errorMessage}\n${sent.output}`).toBe(true);
      expect(sent.result).toEqual({ batchItemFailures: [] });
    }
    const confirmations = (await maildev.list()).filter((mail) => mail.to.includes(address));
    expect(confirmations).toHaveLength(1);
    const mail = await simpleParser(await maildev.raw(confirmations[0]!.id));
    expect(mail.subject).toMatch(/^Confirm your subscription/);
    expect(mail.text).toContain('https://news.example.com/api/confirm?token=');
    expect((await new DynamoSubscriberStore(aws.doc, aws.tableName).get(subscriberId(address)))?.status).toBe('pending');
    await maildev.clear();
  });
});

describe('the publish, send-worker and SES-events bundles', () => {
  it('publish on the schedule, queue the digest for every confirmed reader, and mail each one copy over SMTP', async () => {
    const readers = ['ada@example.org', 'grace@example.org', 'linus@example.org'];
    for (const reader of readers) await confirmedSubscriber(reader);
    const created = await callApi('POST', '/api/articles', {
      headers: { ...auth, ...json },
      body: articleBody('Library extends hours', '2025-05-31T08:00:00.000Z'),
    });
    expect(created.statusCode).toBe(201);

    const schedule = { source: 'pressrun.schedule', scheduledTime: '2025-06-02T07:00:00Z' };
    const published = await runHandler(bundles.publish.file, 'handler', schedule, env.publish);
    expect(published.ok, `${published.errorMessage}\n${published.output}`).toBe(true);
    // The scheduled cadence gathers everything since the last digest: the article published through the API earlier and this one.
    expect(published.result).toEqual(expect.objectContaining({ digest: expect.objectContaining({ articles: 2 }) }));
    expect((await new DynamoPublishRunStore(aws.doc, aws.tableName).get('scheduled-20250602T070000Z'))?.status).toBe('succeeded');

    const messages = sqs.take();
    expect(messages.length).toBeGreaterThan(0);
    const sent = await runHandler(bundles.sendWorker.file, 'handler', sqsEvent(messages), env.sendWorker);
    expect(sent.ok, `${sent.errorMessage}\n${sent.output}`).toBe(true);
    expect(sent.result).toEqual({ batchItemFailures: [] });

    const caught = await maildev.list();
    expect(caught.flatMap((mail) => mail.to).sort()).toEqual(readers);
    const mail = await simpleParser(await maildev.raw(caught[0]!.id));
    expect(mail.subject).toContain('2 new articles');
    expect(mail.html).toContain('Library extends hours');
    expect(mail.html).toContain('Bridge reopens');
    expect(JSON.stringify(mail.headers.get('list'))).toContain('https://news.example.com/api/unsubscribe');
  });

  it('run a retried schedule once: the run is found done and no reader is queued again', async () => {
    const again = await runHandler(
      bundles.publish.file,
      'handler',
      { source: 'pressrun.schedule', scheduledTime: '2025-06-02T07:00:00Z' },
      env.publish,
    );
    expect(again).toEqual(expect.objectContaining({ ok: true, result: null }));
    expect(sqs.take()).toEqual([]);
  });

  it('plan a send asked through the API in the send worker: the API only queues the request, the worker hands out its segments, which snapshot and queue the batches', async () => {
    await storeDigest(new DynamoDigestStore(aws.doc, aws.tableName), '2025-06-03-asked');
    const asked = await callApi('POST', '/api/digests/2025-06-03-asked/send', { headers: auth });
    expect(asked.statusCode).toBe(202);
    expect(JSON.parse(asked.body)).toEqual({ digestId: '2025-06-03-asked', status: 'preparing', enqueued: 0 });
    const [plan, ...none] = sqs.take();
    expect(none).toEqual([]);
    expect(JSON.parse(plan!.body)).toEqual({ plan: { digestId: '2025-06-03-asked' } });

    const handedOut = await runHandler(bundles.sendWorker.file, 'handler', sqsEvent([plan!]), env.sendWorker);
    expect(handedOut.ok, `${handedOut.errorMessage}\n${handedOut.output}`).toBe(true);
    const segments = sqs.take();
    expect(segments.map((m) => JSON.parse(m.body) as unknown)).toEqual(
      Array.from({ length: 16 }, (_, segment) => ({ plan: { digestId: '2025-06-03-asked', segment } })),
    );
    // Ten messages an event at most, as the event source mapping hands them over.
    for (const event of [segments.slice(0, 10), segments.slice(10)]) {
      const planned = await runHandler(bundles.sendWorker.file, 'handler', sqsEvent(event), env.sendWorker);
      expect(planned.ok, `${planned.errorMessage}\n${planned.output}`).toBe(true);
      expect(planned.result).toEqual({ batchItemFailures: [] });
    }
    // Each of the three readers in their segment's batch, numbered in its segment's block.
    const batches = sqs.take().map((m) => JSON.parse(m.body) as { digestId: string; batch: number });
    expect(batches.every((b) => b.digestId === '2025-06-03-asked' && (b.batch - 1) % SEGMENT_BATCHES === 0)).toBe(true);
    expect(await new DynamoSendLedger(aws.doc, aws.tableName).getJob('2025-06-03-asked')).toMatchObject({
      status: 'queued',
      segments: 16,
      recipients: 3,
      batches: batches.length,
    });
  });

  it('answer the digest preview with a 404 problem when nothing is new since the last one', async () => {
    const response = await callApi('GET', '/api/digest/preview', { headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('start only the queued runs a stream batch announces', async () => {
    const other = { pk: { S: 'ARTICLE' }, sk: { S: 'some-article' }, status: { S: 'queued' } };
    const outcome = await runHandler(bundles.publish.file, 'handler', streamInsert([other]), env.publish);
    expect(outcome).toEqual(expect.objectContaining({ ok: true, result: { batchItemFailures: [] } }));
  });

  it('suppress a reader whose address hard-bounced, from the SNS event SES publishes', async () => {
    const bounce = {
      eventType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'grace@example.org' }] },
      mail: { destination: ['grace@example.org'] },
    };
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          Sns: { Type: 'Notification', MessageId: 'm-1', Message: JSON.stringify(bounce), Timestamp: '2025-06-02T08:00:00.000Z' },
        },
      ],
    };
    const outcome = await runHandler(bundles.sesEvents.file, 'handler', event, env.sesEvents);
    expect(outcome).toEqual(expect.objectContaining({ ok: true, result: { suppressed: 1 } }));
    const grace = await new DynamoSubscriberStore(aws.doc, aws.tableName).get(subscriberId('grace@example.org'));
    expect(grace?.status).toBe('bounced');
  });
});

describe('what the bundles hold', () => {
  it('keeps MJML and unused SDK clients out of the API bundle', async () => {
    const api = await readFile(bundles.api.file, 'utf8');
    const publish = await readFile(bundles.publish.file, 'utf8');
    // MJML's component names and the SDK clients' package names survive minification as strings.
    expect(publish).toContain('mj-column');
    expect(api).not.toContain('mj-column');
    for (const unused of ['client-s3', 'client-cloudfront', 'client-sesv2', 'client-lambda'])
      expect(api, unused).not.toContain(`@aws-sdk/${unused}"`);
    for (const used of ['client-dynamodb', 'client-sqs']) expect(api, used).toContain(`@aws-sdk/${used}"`);
    // nodemailer's MIME builder: the API queues its mails for the send worker.
    expect(api).not.toContain('nodemailer');
  });

  it('takes credentials from the environment only, as Lambda gives them: no STS or SSO client in any bundle', async () => {
    for (const [name, bundle] of Object.entries(bundles)) {
      const code = await readFile(bundle.file, 'utf8');
      // The services' protocol names survive minification: the default chain's STS (web identity, profiles) and SSO clients.
      for (const client of ['AWSSecurityTokenServiceV20110615', 'SWBPortalService', 'AWSSSOOIDCService'])
        expect(code, `${name}: ${client}`).not.toContain(client);
    }
  });

  it('keeps the Markdown parser, the YAML parser and the HTML sanitizer in the articles bundle, out of the API bundle', async () => {
    const api = await readFile(bundles.api.file, 'utf8');
    const articles = await readFile(bundles.articles.file, 'utf8');
    // Messages of marked, yaml and sanitize-html's option name survive minification.
    for (const marker of ['markedjs/marked', 'Implicit map keys need to be', 'allowedTags']) {
      expect(articles, marker).toContain(marker);
      expect(api, marker).not.toContain(marker);
    }
    expect(articles).not.toContain('mj-column');
  });

  it('holds MJML in the send worker only behind the dynamic import of the contents a send renders for its readers', async () => {
    const worker = await readFile(bundles.sendWorker.file, 'utf8');
    // esbuild keeps a dynamically imported module's code in a lazy initializer: the worker's start does not evaluate it.
    expect(worker).toContain('mj-column');
    expect(readFileSync(new URL('../../functions/wiring/send-worker.ts', import.meta.url), 'utf8')).toMatch(
      /import\('\.\.\/core\/digest\/render-digest\.js'\)/,
    );
    expect(readFileSync(new URL('../../functions/wiring/send-worker.ts', import.meta.url), 'utf8')).not.toMatch(
      /^import (?!type ).*render-digest/m,
    );
  });

  it.each(['api', 'articles', 'publish', 'sendWorker', 'sesEvents'] as const)(
    'fails the %s handler at start naming what is missing, rather than at its first request',
    async (name) => {
      const outcome = await runHandler(bundles[name].file, 'handler', {}, { AWS_REGION: 'us-east-1' });
      expect(outcome.ok).toBe(false);
      expect(outcome.errorType).toBe('ConfigError');
      expect(outcome.errorMessage).toContain('PRESSRUN_TABLE is required');
    },
  );
});
