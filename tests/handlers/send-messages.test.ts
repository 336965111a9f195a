import { describe, expect, it } from 'vitest';
import { batchMessage, mailMessage, planMessage, readQueueMessage, subscribeMessage } from '../../functions/adapters/sqs-queue.js';
import type { QueuedMail, QueuedSubscribeRequest, SendBatchRef } from '../../functions/core/delivery/ports.js';
import type { QueuedMailOutcome, SubscribeRequestOutcome } from '../../functions/core/delivery/queued-mail.js';
import type { BatchReport } from '../../functions/core/delivery/send-batch.js';
import { sendMessages } from '../../functions/handlers/send-messages.js';
import type { Sender } from '../../functions/wiring/delivery.js';

const report = (outcome: BatchReport['outcome']): BatchReport => ({ outcome, sent: 0, failed: 0, suppressed: 0, unknown: 0 });
const record = (messageId: string, body: string) => ({ messageId, body });
const unexpected = () => Promise.reject(new Error('not this kind of message'));
const root = (sender: Partial<Pick<Sender, 'worker' | 'plan' | 'tick' | 'requeue' | 'sendQueued' | 'subscribe'>>) => ({
  readMessage: readQueueMessage,
  sender: async () => ({
    worker: unexpected,
    plan: unexpected,
    tick: unexpected,
    requeue: unexpected,
    sendQueued: unexpected,
    subscribe: unexpected,
    ...sender,
  }),
});

describe('the send worker’s SQS loop', () => {
  it('queues busy, deferred and unfinished batches again as new delayed messages, and returns to SQS only the failing or unreadable', async () => {
    const outcomes: Record<number, BatchReport['outcome'] | 'throw'> = {
      1: 'sent',
      2: 'already-done',
      3: 'busy',
      4: 'deferred',
      5: 'throw',
      6: 'yielded',
      7: 'stopped',
    };
    const seen: SendBatchRef[] = [];
    const requeued: Array<[number, number]> = [];
    const worker = async (ref: SendBatchRef) => {
      seen.push(ref);
      const outcome = outcomes[ref.batch]!;
      if (outcome === 'throw') throw new Error('DynamoDB is down');
      return report(outcome);
    };
    const requeue = async (ref: SendBatchRef, delaySeconds: number) => void requeued.push([ref.batch, delaySeconds]);
    const event = {
      Records: [1, 2, 3, 4, 5, 6, 7]
        .map((batch) => record(`m${batch}`, batchMessage({ digestId: 'd', batch })))
        .concat([record('m8', '{"nope":true}'), record('m9', 'not json')]),
    };
    const response = await sendMessages(root({ worker, requeue }), () => {})(event);
    expect(response).toEqual({ batchItemFailures: ['m5', 'm8', 'm9'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect(seen.map((r) => r.batch)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(requeued).toEqual([
      [3, 60],
      [4, 60],
      [6, 0],
    ]);
  });

  it('plans a send the API handed over, and returns the message to SQS while another worker holds its snapshot', async () => {
    const planned: string[] = [];
    const states: Record<string, 'queued' | 'snapshotting'> = { mine: 'queued', held: 'snapshotting' };
    const plan = async (digestId: string) => {
      planned.push(digestId);
      const job = { digestId, status: states[digestId]!, createdAt: '', updatedAt: '', owner: 'o', leaseUntil: '' };
      return { job, enqueued: job.status === 'queued' ? 3 : 0 };
    };
    const event = { Records: [record('m1', planMessage('mine')), record('m2', planMessage('held'))] };
    const response = await sendMessages(root({ plan }), () => {})(event);
    expect(planned).toEqual(['mine', 'held']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });

  it('returns a batch to SQS when it cannot be queued again', async () => {
    const worker = async () => report('deferred');
    const requeue = () => Promise.reject(new Error('SQS is down'));
    const response = await sendMessages(root({ worker, requeue }), () => {})({
      Records: [record('m1', batchMessage({ digestId: 'd', batch: 1 }))],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });

  it('gives the worker the time the invocation has left', async () => {
    let left: number | undefined;
    const worker = async (_ref: SendBatchRef, budget?: { timeLeftMs(): number }) => ((left = budget?.timeLeftMs()), report('sent'));
    await sendMessages(root({ worker }), () => {})(
      { Records: [record('m1', batchMessage({ digestId: 'd', batch: 1 }))] },
      { getRemainingTimeInMillis: () => 93_000 },
    );
    expect(left).toBe(93_000);
  });

  it('returns to the queue exactly the queued mails the provider did not take, and never logs their address', async () => {
    const outcomes: Record<string, QueuedMailOutcome | 'throw'> = {
      a: 'sent',
      b: 'already-handled',
      c: 'deferred',
      d: 'rejected',
      e: 'unknown',
      f: 'throw',
    };
    const seen: string[] = [];
    const sendQueued = async (mail: QueuedMail) => {
      seen.push(mail.id);
      const outcome = outcomes[mail.id]!;
      if (outcome === 'throw') throw new Error('DynamoDB is down');
      return outcome;
    };
    const mail = (id: string): QueuedMail => ({
      id,
      message: { from: 'news@example.com', to: `${id}@example.org`, subject: 'Confirm', html: '<p>Hi</p>', text: 'Hi', headers: {} },
    });
    const incomplete = JSON.stringify({ mail: { id: 'g', message: { to: 'g@example.org' } } });
    const event = {
      Records: Object.keys(outcomes)
        .map((id) => record(`m-${id}`, mailMessage(mail(id))))
        .concat([record('m-g', incomplete)]),
    };
    const lines: string[] = [];
    const response = await sendMessages(root({ sendQueued }), (line) => lines.push(line))(event);
    expect(response).toEqual({ batchItemFailures: ['m-c', 'm-f', 'm-g'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(lines).toContain('mail a: sent');
    expect(lines.join('\n')).not.toContain('@example.org');
  });

  it('returns to the queue exactly the subscription requests whose confirmation the provider did not take, and never logs their address', async () => {
    const outcomes: Record<string, SubscribeRequestOutcome | 'throw'> = {
      a: 'sent',
      b: 'nothing-to-mail',
      c: 'limited',
      d: 'already-handled',
      e: 'deferred',
      f: 'rejected',
      g: 'throw',
    };
    const seen: QueuedSubscribeRequest[] = [];
    const subscribe = async (request: QueuedSubscribeRequest) => {
      seen.push(request);
      const outcome = outcomes[request.id]!;
      if (outcome === 'throw') throw new Error('DynamoDB is down');
      return outcome;
    };
    const request = (id: string): QueuedSubscribeRequest => ({
      id,
      email: `${id}@example.org`,
      source: 'form',
      at: '2025-06-01T12:00:00.000Z',
    });
    const incomplete = JSON.stringify({ subscribe: { id: 'h', email: 'h@example.org', source: 'form', at: 'yesterday' } });
    const event = {
      Records: Object.keys(outcomes)
        .map((id) => record(`m-${id}`, subscribeMessage(request(id))))
        .concat([record('m-h', incomplete)]),
    };
    const lines: string[] = [];
    const response = await sendMessages(root({ subscribe }), (line) => lines.push(line))(event);
    expect(response).toEqual({ batchItemFailures: ['m-e', 'm-g', 'm-h'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect(seen).toEqual(Object.keys(outcomes).map(request));
    expect(lines).toContain('subscribe c: limited');
    expect(lines.join('\n')).not.toContain('@example.org');
  });
});
