/**
 * A recording HTTP proxy in front of moto, one per function: each function's process gets its
 * AWS endpoint pointed here, so every AWS operation it makes is seen, named as IAM names it
 * (service:Action on a resource ARN) and logged under that function before it is forwarded.
 * A hook may stop the function's process after moto answered and before the answer reaches
 * it (a crash at exactly that point). SES v2's GetAccount, which moto does not implement, is
 * answered here with a production account's quota (ACCOUNT_QUOTA): the send worker paces itself by it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT } from './moto.js';

export interface Operation {
  fn: string;
  /** `function` for the bundle's own calls, `event source` for Lambda's pollers acting with the function's role. */
  caller: 'function' | 'event source';
  /** IAM action, such as `dynamodb:PutItem`. */
  action: string;
  /** The resource ARNs IAM authorizes the action on. */
  resources: string[];
  status: number;
  /** Whether the function's role allowed it, judged when it was made (ARNs change with each reset of moto). */
  allowed?: boolean;
}

export interface RecordingProxy {
  endpoint: string;
  port: number;
  /** The endpoint the function's event sources (Lambda's pollers) use: same role, logged as such. */
  eventSourceEndpoint: string;
  close(): Promise<void>;
}

/** What becomes of moto's answer: delivered, or held (never reaches the function, which a test then kills). */
export type AfterAnswer = (op: Operation) => 'deliver' | 'hold';

/** What the stand-in GetAccount answers: out of the sandbox, 100 mails a second. */
export const ACCOUNT_QUOTA = { SendQuota: { Max24HourSend: 50_000, MaxSendRate: 100, SentLast24Hours: 0 }, ProductionAccessEnabled: true };

const arn = (service: string, region: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;

/** The service and region a request is signed for (SigV4 credential scope). */
function scope(headers: IncomingMessage['headers']): { service: string; region: string } | undefined {
  const match = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''));
  return match ? { region: match[1]!, service: match[2]! } : undefined;
}

const queueArn = (region: string, queueUrl: unknown) =>
  arn(
    'sqs',
    region,
    String(queueUrl ?? '')
      .split('/')
      .pop() ?? '',
  );
const tableArn = (region: string, table: unknown, index?: unknown) =>
  arn('dynamodb', region, `table/${String(table)}${index ? `/index/${String(index)}` : ''}`);

/** What one request is, in IAM's words. Exported for its own test. */
export function describeRequest(
  method: string,
  url: string,
  headers: IncomingMessage['headers'],
  body: Buffer,
): Omit<Operation, 'fn' | 'caller' | 'status'> {
  const signed = scope(headers);
  const target = String(headers['x-amz-target'] ?? '');
  const region = signed?.region ?? 'us-east-1';
  const { pathname, searchParams } = new URL(url, 'http://proxy');
  const json = () => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
  if (target.startsWith('DynamoDBStreams_')) {
    const input = json();
    const action = target.split('.')[1]!;
    const stream = String(input.StreamArn ?? (input.ShardIterator ? decodeIterator(String(input.ShardIterator)) : '*'));
    return { action: `dynamodb:${action}`, resources: [action === 'ListStreams' ? '*' : stream] };
  }
  if (target.startsWith('DynamoDB_')) {
    const input = json();
    const action = target.split('.')[1]!;
    if (action === 'BatchWriteItem' || action === 'BatchGetItem')
      return { action: `dynamodb:${action}`, resources: Object.keys(input.RequestItems as object).map((t) => tableArn(region, t)) };
    if (action === 'TransactWriteItems' || action === 'TransactGetItems') {
      const items = input.TransactItems as Array<Record<string, { TableName: string }>>;
      return { action: `dynamodb:${action}`, resources: [...new Set(items.map((i) => tableArn(region, Object.values(i)[0]!.TableName)))] };
    }
    return { action: `dynamodb:${action}`, resources: [tableArn(region, input.TableName, input.IndexName)] };
  }
  if (target.startsWith('AmazonSQS.')) {
    const input = json();
    return { action: `sqs:${target.split('.')[1]!.replace(/Batch$/, '')}`, resources: [queueArn(region, input.QueueUrl)] };
  }
  if (target.startsWith('secretsmanager.')) {
    return { action: `secretsmanager:${target.split('.')[1]!}`, resources: [String(json().SecretId)] };
  }
  if (target.startsWith('AmazonSSM.')) {
    const input = json();
    const names = (input.Names as string[] | undefined) ?? [String(input.Name ?? input.Path)];
    return { action: `ssm:${target.split('.')[1]!}`, resources: names.map((n) => arn('ssm', region, `parameter/${n.replace(/^\//, '')}`)) };
  }
  const service = signed?.service ?? '';
  if (service === 'ses' && pathname.startsWith('/v2/')) {
    if (pathname === '/v2/email/outbound-emails') {
      const input = json();
      const from = String(input.FromEmailAddress ?? '');
      const domain = from.split('@').pop()!;
      return {
        action: 'ses:SendEmail',
        resources: [
          arn('ses', region, `identity/${domain}`),
          ...(input.ConfigurationSetName ? [arn('ses', region, `configuration-set/${String(input.ConfigurationSetName)}`)] : []),
        ],
      };
    }
    if (pathname === '/v2/email/account') return { action: 'ses:GetAccount', resources: ['*'] };
    return { action: `ses:${method} ${pathname}`, resources: ['*'] };
  }
  if (service === 'cloudfront') {
    const match = /^\/\d{4}-\d{2}-\d{2}\/distribution\/([^/]+)(\/invalidation(?:\/[^/]+)?)?/.exec(pathname);
    const resource = `arn:aws:cloudfront::${ACCOUNT}:distribution/${match?.[1] ?? '*'}`;
    if (match?.[2] && method === 'POST') return { action: 'cloudfront:CreateInvalidation', resources: [resource] };
    if (match?.[2])
      return {
        action: match[2].split('/').length > 2 ? 'cloudfront:GetInvalidation' : 'cloudfront:ListInvalidations',
        resources: [resource],
      };
    return { action: `cloudfront:${method} ${pathname}`, resources: [resource] };
  }
  if (service === 's3') {
    const [, bucket = '', ...rest] = pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const bucketArn = `arn:aws:s3:::${bucket}`;
    if (!key) {
      if (method === 'POST' && searchParams.has('delete')) {
        const keys = [...body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => `${bucketArn}/${m[1]!}`);
        return { action: 's3:DeleteObject', resources: keys };
      }
      if (method === 'GET' && (searchParams.has('list-type') || [...searchParams.keys()].length === 0 || searchParams.has('prefix')))
        return { action: 's3:ListBucket', resources: [bucketArn] };
      if (method === 'GET' && searchParams.has('versions')) return { action: 's3:ListBucketVersions', resources: [bucketArn] };
      return { action: `s3:${method} bucket?${[...searchParams.keys()].join('&')}`, resources: [bucketArn] };
    }
    const objectArn = `${bucketArn}/${key}`;
    if (method === 'PUT' && headers['x-amz-copy-source'])
      return {
        action: 's3:PutObject',
        resources: [objectArn, `arn:aws:s3:::${decodeURIComponent(String(headers['x-amz-copy-source'])).replace(/^\//, '')}`],
      };
    const action = { PUT: 's3:PutObject', GET: 's3:GetObject', HEAD: 's3:GetObject', DELETE: 's3:DeleteObject', POST: 's3:PutObject' }[
      method
    ];
    return { action: action ?? `s3:${method}`, resources: [objectArn] };
  }
  return { action: `${service || 'unknown'}:${method} ${pathname}${target ? ` ${target}` : ''}`, resources: ['*'] };
}

/** moto's shard iterators carry the stream ARN in their text. */
function decodeIterator(iterator: string): string {
  return /arn:aws:dynamodb:[^|"]+\/stream\/[^|"]+/.exec(iterator)?.[0] ?? '*';
}

export async function startRecordingProxy(
  fn: string,
  target: string,
  record: (op: Operation) => void,
  afterAnswer: () => AfterAnswer | undefined,
): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const handler = (caller: Operation['caller']) => (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let described: Omit<Operation, 'fn' | 'caller' | 'status'>;
      try {
        described = describeRequest(req.method ?? 'GET', req.url ?? '/', req.headers, body);
      } catch (error) {
        described = { action: `unparsed:${req.method} ${req.url} (${(error as Error).message})`, resources: ['*'] };
      }
      if (described.action === 'ses:GetAccount') {
        record({ fn, caller, ...described, status: 200 });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ACCOUNT_QUOTA));
        return;
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const op: Operation = { fn, caller, ...described, status: answer.statusCode ?? 0 };
            record(op);
            if (afterAnswer()?.(op) === 'hold') return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(answerChunks));
          });
        },
      );
      forward.on('error', (error) => {
        res.statusCode = 502;
        res.end(String(error));
      });
      forward.end(body);
    });
  };
  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const own = createServer(handler('function'));
  const pollers = createServer(handler('event source'));
  const [port, pollerPort] = await Promise.all([listen(own), listen(pollers)]);
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    eventSourceEndpoint: `http://127.0.0.1:${pollerPort}`,
    close: async () => void (await Promise.all([close(own), close(pollers)])),
  };
}
