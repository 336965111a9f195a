/**
 * What the API needs from subscriptions and delivery: the use cases, already wired
 * (wiring/delivery.ts builds this), so the routes stay a few lines each.
 */
import type { SendStart } from '../core/delivery/start-send.js';
import type { SendProgress } from '../core/delivery/progress.js';
import type { RateLimiter, RateRule } from '../core/rate-limit.js';
import type { ReaderChoices } from '../core/subscribers/manage-preferences.js';
import type { Confirmation } from '../core/subscribers/subscriptions.js';
import type { TokenPurpose } from '../core/subscribers/tokens.js';

export interface DeliveryApi {
  /**
   * Checks the address's form and queues the request; nothing about the address is read or
   * written while the reader waits (the send worker carries the request out). Rejects with an
   * 'invalid' PressrunError naming `email` or a `preferences.…` field, or 'unavailable' when the
   * request was not queued. `preferences` are what the reader chose (core/subscribers/preferences.ts),
   * checked here.
   */
  subscribe(request: { email: unknown; source: string; now: Date; preferences?: unknown }): Promise<void>;
  /** Rejects with a TokenError when the link is not valid for `purpose`; changes nothing. */
  checkLink(token: unknown, purpose: TokenPurpose, now: Date): Promise<void>;
  /** The status, and a token for the confirmed reader's preference page. */
  confirm(token: unknown, now: Date): Promise<Confirmation>;
  unsubscribe(token: unknown, source: string, now: Date): Promise<'unsubscribed' | 'already-unsubscribed'>;
  /** What the reader a `preferences` token names receives; changes nothing. A TokenError, or a 'conflict' for an ended subscription. */
  readChoices(token: unknown, now: Date): Promise<ReaderChoices>;
  /** Changes what that reader receives (fields left out stay); as readChoices, and 'invalid' naming a `preferences.…` field. */
  saveChoices(token: unknown, preferences: unknown, now: Date): Promise<ReaderChoices>;
  /** No `job` when the send's planning was handed to a worker, which opens it (requestDigestSend). */
  startSend(digestId: string): Promise<Omit<SendStart, 'job'> & { job?: SendStart['job'] }>;
  /** Resumes a stopped send; 'not-found' for an unknown digest, 'conflict' naming `status` when it is not stopped. */
  resumeSend(digestId: string): Promise<SendStart>;
  progress(digestId: string): Promise<SendProgress>;
  sendTest(digestId: string, email: unknown, now: Date): Promise<{ to: string; messageId: string }>;
  /** Counts subscribe requests per client. */
  rateLimiter: RateLimiter;
  /** How often one client may ask to subscribe (the send worker keeps the per-address limit). */
  perClient: RateRule;
}
