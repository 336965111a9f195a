/**
 * Stand-ins for the AWS endpoints that no local server plays, for running bundled Lambda
 * handlers as they run in the cloud:
 *
 * - the Parameters and Secrets extension (how functions read secrets), on localhost;
 * - Lambda's Invoke API, which runs the real bundles, each call in a fresh `node` process;
 * - CloudFront's CreateInvalidation, which records what a publish invalidated;
 * - SQS's SendMessageBatch, which keeps the messages so a test can hand them to the worker
 *   as the SQS event source would.
 *
 * Point unmodified SDK clients at them with AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_CLOUDFRONT
 * and AWS_ENDPOINT_URL_SQS, and the secrets adapter with PARAMETERS_SECRETS_EXTENSION_HTTP_PORT.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const RUN_HANDLER = fileURLToPath(new URL('./run-handler.mjs', import.meta.url));

export interface HandlerOutcome {
  ok: boolean;
  result?: unknown;
  errorType?: string;
  errorMessage?: string;
  /** Everything the handler printed besides its outcome line (logs, warnings). */
  output: string;
  /** Wall time from spawn to the outcome line. */
  ms: number;
  /** The process's peak resident memory, sampled every 50 ms. */
  peakRssBytes: number;
  /** CPU time (user and system) the process used. */
  cpuMs: number;
}

/**
 * Runs `exportName` of a bundle in a fresh node process with exactly `env` (plus PATH);
 * `heapMb` limits its heap, as a function's memory limits it.
 */
export function runHandler(
  file: string,
  exportName: string,
  event: unknown,
  env: Record<string, string>,
  options: { heapMb?: number } = {},
): Promise<HandlerOutcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const heap = options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : [];
    const child = spawn(process.execPath, [...heap, RUN_HANDLER, file, exportName], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      const lines = stdout.trimEnd().split('\n');
      const last = lines.pop() ?? '';
      try {
        const outcome = JSON.parse(last) as Omit<HandlerOutcome, 'output' | 'ms'>;
        resolve({ ...outcome, output: [...lines, stderr].join('\n'), ms: performance.now() - started });
      } catch {
        reject(new Error(`The handler process printed no outcome.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(event));
  });
}

interface Running {
  port: number;
  endpoint: string;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The secrets extension's HTTP interface: GET /secretsmanager/get?secretId=… with the
 * session token in X-Aws-Parameters-Secrets-Token answers the GetSecretValue JSON.
 */
/** A secret's value, or its current and previous versions (after a rotation); tests may change them while it runs. */
export type StandInSecret = string | { current: string; previous?: string };

export async function startSecretsExtension(
  secrets: Record<string, StandInSecret>,
  sessionToken: string,
): Promise<Running & { requests: string[] }> {
  const requests: string[] = [];
  const { server, port } = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const secretId = url.searchParams.get('secretId') ?? '';
    requests.push(secretId);
    res.setHeader('content-type', 'application/json');
    if (req.headers['x-aws-parameters-secrets-token'] !== sessionToken) {
      res.statusCode = 401;
      res.end('{"message":"missing or wrong X-Aws-Parameters-Secrets-Token"}');
      return;
    }
    const stage = url.searchParams.get('versionStage') ?? 'AWSCURRENT';
    const secret = secrets[secretId];
    const value =
      typeof secret === 'string'
        ? stage === 'AWSCURRENT'
          ? secret
          : undefined
        : stage === 'AWSCURRENT'
          ? secret?.current
          : secret?.previous;
    if (url.pathname !== '/secretsmanager/get' || value === undefined) {
      res.statusCode = 404;
      res.end(`{"message":"no secret ${secretId} at ${stage}"}`);
    } else {
      res.end(JSON.stringify({ ARN: secretId, Name: secretId, SecretString: value, VersionStages: [stage] }));
    }
  });
  return { port, endpoint: `http://127.0.0.1:${port}`, requests, close: close(server) };
}

/**
 * The event the table's stream hands the publish function for new items (DynamoDB JSON, as
 * GetItem returns them), one INSERT record each.
 */
export function streamInsert(items: Array<Record<string, unknown>>, tableArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/pressrun') {
  return {
    Records: items.map((item, i) => ({
      eventID: `event-${i + 1}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: { pk: item.pk, sk: item.sk },
        NewImage: item,
        SequenceNumber: String(1000 + i),
        SizeBytes: 100,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: `${tableArn}/stream/2025-06-01T00:00:00.000`,
    })),
  };
}

/** CloudFront's CreateInvalidation: records each batch of paths and answers as CloudFront does. */
export async function startCloudFrontStandIn(): Promise<Running & { invalidations: Array<{ distributionId: string; paths: string[] }> }> {
  const invalidations: Array<{ distributionId: string; paths: string[] }> = [];
  const { server, port } = await listen((req, res) => {
    void (async () => {
      const match = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
      const xml = await body(req);
      if (req.method !== 'POST' || !match) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const paths = [...xml.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      invalidations.push({ distributionId: decodeURIComponent(match[1]!), paths });
      const id = `I${invalidations.length}`;
      res.statusCode = 201;
      res.setHeader('content-type', 'text/xml');
      res.setHeader('location', `${`http://127.0.0.1:${port}`}${req.url}/${id}`);
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${id}</Id><Status>InProgress</Status>` +
          `<CreateTime>${new Date().toISOString()}</CreateTime><InvalidationBatch>${/<Paths>[\s\S]*<\/Paths>/.exec(xml)?.[0] ?? ''}<CallerReference>x</CallerReference></InvalidationBatch></Invalidation>`,
      );
    })();
  });
  return { port, endpoint: `http://127.0.0.1:${port}`, invalidations, close: close(server) };
}

export interface QueuedMessage {
  queueUrl: string;
  messageId: string;
  body: string;
  /** The DelaySeconds it was sent with, if any. */
  delaySeconds?: number;
}

/** SQS's JSON protocol, SendMessage and SendMessageBatch only: every message is taken and kept, in order. */
export async function startSqsStandIn(): Promise<
  Running & { messages: QueuedMessage[]; take(queueUrl?: string): QueuedMessage[]; failNext(calls: number): void }
> {
  const messages: QueuedMessage[] = [];
  let failing = 0;
  const keep = (queueUrl: string, body: string, delaySeconds?: number) => {
    const messageId = randomUUID();
    messages.push({ queueUrl, messageId, body, ...(delaySeconds !== undefined ? { delaySeconds } : {}) });
    return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
  };
  const { server, port } = await listen((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse((await body(req)) || '{}') as {
        QueueUrl: string;
        MessageBody?: string;
        Entries?: Array<{ Id: string; MessageBody: string; DelaySeconds?: number }>;
      };
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (failing > 0) {
        failing--;
        res.statusCode = 500;
        res.end(
          JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error. Please try again.' }),
        );
      } else if (target === 'AmazonSQS.SendMessage') {
        res.end(JSON.stringify(keep(input.QueueUrl, input.MessageBody ?? '')));
      } else if (target === 'AmazonSQS.SendMessageBatch') {
        res.end(
          JSON.stringify({
            Successful: (input.Entries ?? []).map((entry) => ({
              Id: entry.Id,
              ...keep(input.QueueUrl, entry.MessageBody, entry.DelaySeconds),
            })),
            Failed: [],
          }),
        );
      } else {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${target} is not played here` }));
      }
    })();
  });
  /** Removes and returns the messages kept so far, of one queue or of all. */
  const take = (queueUrl?: string) => {
    const taken = messages.filter((m) => queueUrl === undefined || m.queueUrl === queueUrl);
    for (const m of taken) messages.splice(messages.indexOf(m), 1);
    return taken;
  };
  return { port, endpoint: `http://127.0.0.1:${port}`, messages, take, failNext: (calls) => (failing = calls), close: close(server) };
}

/** The event the SQS event source hands the worker for these messages. */
export function sqsEvent(messages: QueuedMessage[], queueArn = 'arn:aws:sqs:us-east-1:123456789012:pressrun-send') {
  return {
    Records: messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: `handle-${m.messageId}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    })),
  };
}

/**
 * An API Gateway HTTP API event (payload format 2.0), as the stack's `ANY /api/{proxy+}` route
 * hands it to a function when CloudFront's /api/* behavior forwards a request. `headers` are
 * what CloudFront adds (the viewer address, the origin secret) and what the caller sent.
 */
export function httpApiEvent(
  method: string,
  pathAndQuery: string,
  options: { headers?: Record<string, string>; body?: string; apiId?: string; at?: Date } = {},
) {
  const [path, query = ''] = pathAndQuery.split('?') as [string, string?];
  const apiId = options.apiId ?? 'abc123';
  const at = options.at ?? new Date();
  return {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath: path,
    rawQueryString: query,
    headers: { host: `${apiId}.execute-api.us-east-1.amazonaws.com`, 'x-forwarded-proto': 'https', ...options.headers },
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId,
      domainName: `${apiId}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: apiId,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '130.176.0.1', userAgent: 'Amazon CloudFront' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: 'ANY /api/{proxy+}',
      stage: '$default',
      time: at.toUTCString(),
      timeEpoch: at.getTime(),
    },
    isBase64Encoded: false,
    ...(options.body !== undefined ? { body: options.body } : {}),
  };
}
