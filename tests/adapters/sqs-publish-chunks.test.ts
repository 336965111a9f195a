/**
 * SqsPublishChunkQueue, sending to an SQS stand-in over HTTP: what it hands over, the chunk
 * function reads back with readPublishChunkMessage, and anything else is refused as malformed.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublishChunkMessage, SqsPublishChunkQueue } from '../../functions/adapters/sqs-publish-chunks.js';
import type { PublishChunkMessage } from '../../functions/core/publish/fan-out-ports.js';
import { startSqsStandIn } from '../support/aws-stand-ins.js';

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

describe('SqsPublishChunkQueue', () => {
  it('hands over every chunk of a wave, ten a call, and the finish, each read back as sent', async () => {
    const queueUrl = 'http://queue.local/123456789012/pressrun-publish-chunks';
    const wave: PublishChunkMessage[] = Array.from({ length: 23 }, (_, i) => ({ runId: 'run-1', generation: 1, chunk: `site-${i + 1}` }));
    const finish: PublishChunkMessage = { runId: 'run-1', generation: 2, finish: true };
    const carryingOn: PublishChunkMessage = { runId: 'run-1', generation: 2, chunk: 'strays', after: 'tags/c#/feed.xml', deletedBefore: 3 };
    await new SqsPublishChunkQueue(client, queueUrl).send([...wave, finish, carryingOn]);
    expect(sqs.take(queueUrl).map((message) => readPublishChunkMessage(message.body))).toEqual([...wave, finish, carryingOn]);
  });
});

describe('readPublishChunkMessage', () => {
  it.each([
    'not json',
    '{}',
    '{"runId":"r","generation":1}',
    '{"runId":"","generation":1,"chunk":"a"}',
    '{"runId":"r","generation":"1","finish":true}',
    '{"runId":"r","generation":1,"chunk":"strays","after":7}',
  ])('refuses %s as malformed, naming the body', (body) => {
    expect(() => readPublishChunkMessage(body)).toThrow(
      expect.objectContaining({ kind: 'malformed', problems: [expect.objectContaining({ field: 'body' })] }),
    );
  });
});
