/**
 * Where the API leaves subscription requests in the cloud: the mail queue, beside the mails it
 * queues (sqs-mail-outbox.ts). The API answers once the queue holds the request, before
 * anything about the address is read or written; the send worker carries it out
 * (core/delivery/queued-mail.ts), so every address costs the API the same work.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PressrunError } from '../core/errors.js';
import type { SubscribeRequest, SubscribeRequests } from '../core/subscribers/ports.js';
import type { SqsMessageSender } from './sqs-mail-outbox.js';
import { subscribeMessage } from './sqs-queue.js';

export class SqsSubscribeRequests implements SubscribeRequests {
  constructor(
    private readonly sqs: SqsMessageSender,
    private readonly queueUrl: string,
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Resolves once the queue holds the request, under an id of its own (the worker's claim). */
  async submit(request: SubscribeRequest): Promise<void> {
    const body = subscribeMessage({ id: this.newId(), ...request });
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
    } catch (error) {
      // Not queued, so nothing happened: the reader may simply ask again.
      throw new PressrunError('unavailable', 'The subscription request could not be taken right now; try again in a few minutes', [], {
        cause: error,
      });
    }
  }
}
