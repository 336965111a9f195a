/**
 * The API's mailer in the cloud: each mail (a test copy) goes to the mail queue, and the send
 * worker, which holds the real mailer, sends it (core/delivery/queued-mail.ts). The API
 * function then bundles no MIME builder and no SES client. (Confirmations are made by the
 * worker itself, from the subscription requests the API queues: sqs-subscribe-requests.ts.)
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SendMessageCommandOutput } from '@aws-sdk/client-sqs';
import { MailerError } from '../core/mail/mailer-error.js';
import type { MailMessage, Mailer } from '../core/mail/ports.js';
import { mailMessage } from './sqs-queue.js';

/** The queue's limit (cdk/stateful-stack.ts sets it); a digest copy stays well below it (its HTML budget is 90 KB). */
export const MAX_MAIL_MESSAGE_BYTES = 256 * 1024;

export interface SqsMessageSender {
  send(command: SendMessageCommand): Promise<Pick<SendMessageCommandOutput, 'MessageId'>>;
}

export class SqsMailOutbox implements Mailer {
  constructor(
    private readonly sqs: SqsMessageSender,
    private readonly queueUrl: string,
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Resolves once the queue holds the mail; the messageId is the queued mail's id. */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const id = this.newId();
    const body = mailMessage({ id, message });
    if (Buffer.byteLength(body) > MAX_MAIL_MESSAGE_BYTES) {
      throw new MailerError(
        'rejected',
        `The message is ${Buffer.byteLength(body)} bytes as queued, over the mail queue's ${MAX_MAIL_MESSAGE_BYTES}`,
      );
    }
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
    } catch (error) {
      // Not queued, so not sent: the caller may ask again (a second confirmation mail is harmless).
      throw new MailerError(
        'unavailable',
        `The mail queue did not take the message: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    return { messageId: id };
  }
}
