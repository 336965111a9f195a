/** A test copy of a digest to one address: marked as a test, and never written to the ledger. */
import { notFound, PressrunError } from '../errors.js';
import { MailerError } from '../mail/mailer-error.js';
import type { DigestStore } from '../digest/ports.js';
import type { Mailer } from '../mail/ports.js';
import { normalizeEmail, subscriberId } from '../subscribers/email.js';
import type { SubscriberStore } from '../subscribers/ports.js';
import { generationOf } from '../subscribers/rules.js';
import { copyMaker, type CopyContext } from './recipient-copy.js';

export interface TestSendDeps extends CopyContext {
  digests: Pick<DigestStore, 'get'>;
  /** Who the address is, so the copy's unsubscribe link is the one its subscriber would get. */
  subscribers: Pick<SubscriberStore, 'get'>;
  mailer: Mailer;
}

export async function sendTestDigest(
  deps: TestSendDeps,
  request: { digestId: string; email: unknown; now: Date },
): Promise<{ to: string; messageId: string }> {
  const email = normalizeEmail(request.email);
  const digest = await deps.digests.get(request.digestId);
  if (!digest) throw notFound(`No digest has the id "${request.digestId}"`);
  // The same copy a subscriber gets, unsubscribe link included (it works, and does nothing for a non-subscriber).
  const id = subscriberId(email);
  const subscriber = await deps.subscribers.get(id);
  const generation = subscriber ? generationOf(subscriber) : 0;
  // One copy goes through the mail queue: its parts (for encoding many copies of a content) would only double its size there.
  const { parts: _parts, ...message } = copyMaker(deps, digest)({ id, email, generation }, request.now, { test: true });
  try {
    const { messageId } = await deps.mailer.send(message);
    return { to: email, messageId };
  } catch (error) {
    if (error instanceof MailerError && error.failure === 'rejected') {
      throw new PressrunError('invalid', 'The mail provider refused this address', [{ field: 'email', message: error.message }], {
        cause: error,
      });
    }
    throw error;
  }
}
