/**
 * Hands send batches to the worker through SQS, ten messages a call (and, from the API, sends
 * for the worker to plan; from the worker, batches it hands back with a delay). A message SQS
 * did not take is sent again a few times, then the call fails: the send job is queued once more
 * by the next POST /api/digests/{id}/send, and delivering a batch twice is harmless.
 */
import {
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { parsePreferences } from '../core/subscribers/preferences.js';
import { PressrunError } from '../core/errors.js';
import type { Queue, QueuedMail, QueuedSubscribeRequest, SendBatchRef, SendPlanner } from '../core/delivery/ports.js';
import type { ClientOptions } from './aws-clients.js';

const MAX_ENTRIES = 10;
const MAX_ATTEMPTS = 5;

export interface SqsSender {
  send(command: SendMessageBatchCommand): Promise<Pick<SendMessageBatchCommandOutput, 'Failed'>>;
}

export function createSqsClient(options: ClientOptions): SQSClient {
  return new SQSClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

/** The message body of a batch, read back by the send worker with readQueueMessage. */
export const batchMessage = (ref: SendBatchRef): string => JSON.stringify({ digestId: ref.digestId, batch: ref.batch });

/** The message body of a queued mail (sqs-mail-outbox.ts), read back by the send worker with readQueueMessage. */
export const mailMessage = (mail: QueuedMail): string => JSON.stringify({ mail });

/** The message body asking a worker to plan a digest's send (SqsQueue.plan), read back by the send worker with readQueueMessage. */
export const planMessage = (digestId: string, segment?: number): string =>
  JSON.stringify({ plan: segment === undefined ? { digestId } : { digestId, segment } });

/** The message body of a subscription request (sqs-subscribe-requests.ts), read back by the send worker with readQueueMessage. */
export const subscribeMessage = (request: QueuedSubscribeRequest): string => JSON.stringify({ subscribe: request });

/**
 * What the send worker is handed: a batch of a digest send, a send to plan, one mail the API
 * queued, or a subscription request the API accepted.
 */
export type QueueMessage =
  | { kind: 'batch'; ref: SendBatchRef }
  | { kind: 'plan'; digestId: string; segment?: number }
  | { kind: 'tick' }
  | { kind: 'mail'; mail: QueuedMail }
  | { kind: 'subscribe'; request: QueuedSubscribeRequest };

export function readQueueMessage(body: string): QueueMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new PressrunError('malformed', 'A send message is not JSON', [{ field: 'body', message: (cause as Error).message }], { cause });
  }
  if (isRecord(parsed) && 'mail' in parsed) return { kind: 'mail', mail: queuedMail(parsed.mail) };
  if (isRecord(parsed) && 'subscribe' in parsed) return { kind: 'subscribe', request: queuedSubscribeRequest(parsed.subscribe) };
  // The schedule's tick (EventBridge Scheduler sends it to the queue): plan a round if someone may be due.
  if (isRecord(parsed) && 'tick' in parsed) return { kind: 'tick' };
  if (isRecord(parsed) && 'plan' in parsed) return { kind: 'plan', ...planned(parsed.plan) };
  const ref = parsed as Partial<SendBatchRef> | null;
  if (!ref || typeof ref.digestId !== 'string' || !Number.isInteger(ref.batch) || (ref.batch as number) < 1) {
    throw new PressrunError('malformed', 'A send message names neither a batch, a mail nor a subscription request', [
      {
        field: 'body',
        message:
          'must be {"digestId": string, "batch": positive integer}, {"mail": {"id", "message"}} or {"subscribe": {"id", "email", "source", "at"}}',
      },
    ]);
  }
  return { kind: 'batch', ref: { digestId: ref.digestId, batch: ref.batch as number } };
}

function queuedMail(value: unknown): QueuedMail {
  const message = isRecord(value) ? value.message : undefined;
  const strings = ['from', 'to', 'subject', 'html', 'text'] as const;
  if (
    !isRecord(value) ||
    typeof value.id !== 'string' ||
    value.id === '' ||
    !isRecord(message) ||
    strings.some((field) => typeof message[field] !== 'string') ||
    !isRecord(message.headers) ||
    Object.values(message.headers).some((header) => typeof header !== 'string')
  ) {
    throw new PressrunError('malformed', 'A queued mail is incomplete', [
      { field: 'mail', message: 'must be {"id": string, "message": {from, to, subject, html, text, headers}}' },
    ]);
  }
  return value as unknown as QueuedMail;
}

function queuedSubscribeRequest(value: unknown): QueuedSubscribeRequest {
  const strings = ['id', 'email', 'source', 'at'] as const;
  if (!isRecord(value) || strings.some((field) => typeof value[field] !== 'string' || value[field] === '') || !isDate(value.at)) {
    throw new PressrunError('malformed', 'A queued subscription request is incomplete', [
      { field: 'subscribe', message: 'must be {"id", "email", "source", "at": an ISO 8601 time}, each a non-empty string' },
    ]);
  }
  const request = { id: value.id as string, email: value.email as string, source: value.source as string, at: value.at as string };
  // Checked by the API that queued it; checked again, since a message is input like any other.
  return value.preferences === undefined
    ? request
    : { ...request, preferences: parsePreferences(value.preferences, 'subscribe.preferences') };
}

function planned(value: unknown): { digestId: string; segment?: number } {
  const segment = isRecord(value) ? value.segment : undefined;
  if (
    !isRecord(value) ||
    typeof value.digestId !== 'string' ||
    !/^[A-Za-z0-9_-]{1,100}$/.test(value.digestId) ||
    (segment !== undefined && (!Number.isInteger(segment) || (segment as number) < 0 || (segment as number) > 63))
  ) {
    throw new PressrunError('malformed', 'A send to plan names no digest', [
      { field: 'plan', message: 'must be {"digestId": a digest id, "segment"?: 0 to 63}' },
    ]);
  }
  return segment === undefined ? { digestId: value.digestId } : { digestId: value.digestId, segment: segment as number };
}

const isDate = (value: unknown): boolean => typeof value === 'string' && !Number.isNaN(Date.parse(value));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class SqsQueue implements Queue, SendPlanner {
  constructor(
    private readonly sqs: SqsSender,
    private readonly queueUrl: string,
  ) {}

  async enqueue(batches: SendBatchRef[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = options.delaySeconds ? { DelaySeconds: Math.min(900, Math.max(0, Math.round(options.delaySeconds))) } : {};
    for (let i = 0; i < batches.length; i += MAX_ENTRIES) {
      await this.send(batches.slice(i, i + MAX_ENTRIES).map((ref, k) => ({ Id: String(i + k), MessageBody: batchMessage(ref), ...delay })));
    }
  }

  /** The snapshot of a send's readers (or of one segment of them), for a worker: the API's requests cannot wait for it. */
  async plan(digestId: string, segment?: number): Promise<void> {
    await this.send([{ Id: '0', MessageBody: planMessage(digestId, segment) }]);
  }

  private async send(batch: SendMessageBatchRequestEntry[]): Promise<void> {
    await sendBatch(this.sqs, this.queueUrl, batch, 'send');
  }
}

/** One SendMessageBatch call (at most ten entries), with what SQS did not take sent again a few times. */
export async function sendBatch(sqs: SqsSender, queueUrl: string, batch: SendMessageBatchRequestEntry[], what: string): Promise<void> {
  let entries = batch;
  for (let attempt = 1; entries.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) {
      throw new PressrunError('unavailable', `SQS did not take ${entries.length} ${what} messages after ${MAX_ATTEMPTS} attempts`);
    }
    const { Failed } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    const failed = new Set((Failed ?? []).map((f) => f.Id));
    entries = entries.filter((e) => failed.has(e.Id));
    if (entries.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
  }
}
