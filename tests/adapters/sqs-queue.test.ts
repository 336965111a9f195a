/**
 * SqsQueue, sending to an SQS stand-in, holds the Queue contract (tests/support/contracts/queue.contract.ts),
 * as does the recording queue the core tests use; the worker reads each message back with readQueueMessage.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQueueMessage, SqsQueue } from '../../functions/adapters/sqs-queue.js';
import { startSqsStandIn } from '../support/aws-stand-ins.js';
import { describeQueueContract } from '../support/contracts/queue.contract.js';
import { RecordingQueue } from '../support/fakes/queue.js';

let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
let client: SQSClient;
beforeAll(async () => {
  sqs = await startSqsStandIn();
  client = new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => {
  client.destroy();
  await sqs.close();
});

let queues = 0;
describeQueueContract('SqsQueue', async () => {
  const queueUrl = `http://queue.local/123456789012/pressrun-send-${++queues}`;
  return {
    queue: new SqsQueue(client, queueUrl),
    handedOver: async () =>
      sqs.take(queueUrl).map((message) => {
        const read = readQueueMessage(message.body);
        if (read.kind !== 'batch') throw new Error(`expected a batch, got ${message.body}`);
        return read.ref;
      }),
  };
});

describeQueueContract('RecordingQueue', async () => {
  const queue = new RecordingQueue();
  return { queue, handedOver: async () => queue.refs };
});

describe('SqsQueue handing a batch back', () => {
  it('sends it with the delay asked for, within SQS’s 15 minutes', async () => {
    const queueUrl = 'http://queue.local/123456789012/pressrun-send-delayed';
    const queue = new SqsQueue(client, queueUrl);
    await queue.enqueue([{ digestId: 'd', batch: 1 }], { delaySeconds: 60 });
    await queue.enqueue([{ digestId: 'd', batch: 2 }], { delaySeconds: 5_000 });
    await queue.enqueue([{ digestId: 'd', batch: 3 }]);
    expect(sqs.take(queueUrl).map((m) => m.delaySeconds)).toEqual([60, 900, undefined]);
  });
});

describe('SqsQueue handing a send to a worker to plan', () => {
  it('sends one message naming the digest, which the worker reads back as a plan', async () => {
    const queueUrl = 'http://queue.local/123456789012/pressrun-send-plans';
    await new SqsQueue(client, queueUrl).plan('2025-06-01-abc');
    const [message, ...rest] = sqs.take(queueUrl);
    expect(rest).toEqual([]);
    expect(readQueueMessage(message!.body)).toEqual({ kind: 'plan', digestId: '2025-06-01-abc' });
  });

  it('sends a segment of a send to plan, which the worker reads back with its segment', async () => {
    const queueUrl = 'http://queue.local/123456789012/pressrun-send-plans';
    await new SqsQueue(client, queueUrl).plan('2025-06-01-abc', 7);
    const [message] = sqs.take(queueUrl);
    expect(readQueueMessage(message!.body)).toEqual({ kind: 'plan', digestId: '2025-06-01-abc', segment: 7 });
  });

  it('refuses a plan message that names no digest, or no segment there is', () => {
    const bad = ['{"plan":{}}', '{"plan":{"digestId":"../x"}}', '{"plan":"x"}', '{"plan":{"digestId":"d","segment":64}}'];
    for (const body of [...bad, '{"plan":{"digestId":"d","segment":"1"}}', '{"plan":{"digestId":"d","segment":1.5}}'])
      expect(() => readQueueMessage(body), body).toThrow(
        expect.objectContaining({ kind: 'malformed', problems: [expect.objectContaining({ field: 'plan' })] }),
      );
  });
});
