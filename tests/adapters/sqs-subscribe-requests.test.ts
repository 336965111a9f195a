import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQueueMessage } from '../../functions/adapters/sqs-queue.js';
import { SqsSubscribeRequests } from '../../functions/adapters/sqs-subscribe-requests.js';
import { PressrunError } from '../../functions/core/errors.js';
import { startSqsStandIn } from '../support/aws-stand-ins.js';

let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
let requests: SqsSubscribeRequests;
const QUEUE_URL = 'http://queue.local/123456789012/pressrun-mail';
const request = { email: 'reader@example.org', source: 'form', at: '2025-06-01T12:00:00.000Z' };

beforeAll(async () => {
  sqs = await startSqsStandIn();
  // No SDK retries: the stand-in's failures should reach the adapter as they come.
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint: sqs.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  let n = 0;
  requests = new SqsSubscribeRequests(client, QUEUE_URL, () => `subscribe-${++n}`);
});
afterAll(() => sqs.close());

describe('SqsSubscribeRequests', () => {
  it('queues each request under an id of its own, for the send worker to read back', async () => {
    await requests.submit(request);
    await requests.submit(request);
    const queued = sqs.take(QUEUE_URL).map((message) => readQueueMessage(message.body));
    expect(queued).toEqual([
      { kind: 'subscribe', request: { id: 'subscribe-1', ...request } },
      { kind: 'subscribe', request: { id: 'subscribe-2', ...request } },
    ]);
  });

  it('answers unavailable when the queue did not take the request', async () => {
    sqs.failNext(1);
    const error = await requests.submit(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PressrunError);
    expect((error as PressrunError).kind).toBe('unavailable');
    expect(sqs.take(QUEUE_URL)).toEqual([]);
  });
});

describe('reading a subscription request back', () => {
  it.each([
    ['no id', { email: 'a@example.org', source: 'form', at: '2025-06-01T12:00:00.000Z' }],
    ['an empty address', { id: 'x', email: '', source: 'form', at: '2025-06-01T12:00:00.000Z' }],
    ['a time that is none', { id: 'x', email: 'a@example.org', source: 'form', at: 'yesterday' }],
    ['not an object', 'a@example.org'],
  ])('refuses one with %s as malformed', (_what, subscribe) => {
    expect(() => readQueueMessage(JSON.stringify({ subscribe }))).toThrow(expect.objectContaining({ kind: 'malformed' }));
  });
});
