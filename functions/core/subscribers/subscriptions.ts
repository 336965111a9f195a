/**
 * The subscriber use cases: subscribe (double opt-in), confirm, unsubscribe, and the
 * suppression of addresses that bounced or complained. Answers never depend on whether an
 * address is known, so the public routes reveal nothing about who is subscribed.
 */
import { PressrunError } from '../errors.js';
import { confirmationMessage } from '../mail/messages.js';
import type { MailSettings } from '../mail/mail-settings.js';
import { MailerError } from '../mail/mailer-error.js';
import type { Mailer } from '../mail/ports.js';
import type { RateLimiter } from '../rate-limit.js';
import type { Subscriber, SubscriberStore } from './ports.js';
import { RateLimitedError, SUBSCRIBE_LIMITS, type RateRule } from '../rate-limit.js';
import type { SiteConfig } from '../site.js';
import { normalizeEmail, subscriberId } from './email.js';
import { confirmUrl } from '../urls.js';
import * as rules from './rules.js';
import { issueToken, TOKEN_LIFETIME_MS, verifyToken, type TokenPurpose } from './tokens.js';

export interface SubscriptionDeps {
  site: SiteConfig;
  mail: MailSettings;
  tokenSecret: string;
  subscribers: SubscriberStore;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  perAddress?: RateRule;
}

/** Two requests about one subscriber at once: the loser of the conditional write reads again. */
async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 4): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PressrunError && error.kind === 'conflict') || n >= attempts) throw error;
    }
  }
}

async function write(store: SubscriberStore, existing: Subscriber | undefined, next: rules.SubscriberRecord | undefined): Promise<void> {
  if (next) await store.save(next, existing?.version ?? 0);
}

/**
 * Creates or refreshes a pending subscriber and mails a confirmation link; a confirmed or
 * suppressed address gets nothing, and the caller answers the same either way. Throws
 * 'invalid' for an address that cannot receive mail, a RateLimitedError past the
 * per-address limit, and 'unavailable' when the mail could not go out.
 */
export async function requestSubscription(deps: SubscriptionDeps, request: { email: unknown; source: string; now: Date }): Promise<void> {
  const email = normalizeEmail(request.email);
  const id = subscriberId(email);
  const rule = deps.perAddress ?? SUBSCRIBE_LIMITS.perAddress;
  const rate = await deps.rateLimiter.hit(`subscribe-address:${id}`, rule.limit, rule.windowSeconds, request.now);
  if (!rate.allowed) {
    throw new RateLimitedError('Too many subscription requests for this address; try again later', rate.retryAfterSeconds, [
      { field: 'email', message: `at most ${rule.limit} requests per address every ${rule.windowSeconds / 60} minutes` },
    ]);
  }
  const decision = await retryOnConflict(async () => {
    const existing = await deps.subscribers.get(id);
    const decided = rules.subscribe(existing, { id, email, source: request.source, now: request.now });
    await write(deps.subscribers, existing, decided.next);
    return decided;
  });
  if (!decision.confirm) return;
  const token = issueToken(deps.tokenSecret, 'confirm', id, request.now);
  const days = Math.round(TOKEN_LIFETIME_MS.confirm / 86_400_000);
  try {
    await deps.mailer.send(confirmationMessage(deps.site, deps.mail, email, confirmUrl(deps.site, token), days));
  } catch (error) {
    // A provider refusing this address must look like any other request to the caller.
    if (error instanceof MailerError && error.failure === 'rejected') return;
    throw new PressrunError('unavailable', 'The confirmation mail could not be sent; try again in a few minutes', [], { cause: error });
  }
}

/** Checks a link without acting on it: what the GET pages do before showing their button. */
export function checkLink(
  deps: Pick<SubscriptionDeps, 'tokenSecret'>,
  request: { token: unknown; purpose: TokenPurpose; now: Date },
): void {
  verifyToken(deps.tokenSecret, request.token, request.purpose, request.now);
}

/**
 * Confirms the subscriber the token names. Confirming again is harmless; a subscriber who is
 * no longer pending (unsubscribed since, or suppressed) gets a 'conflict' asking for a new
 * subscription.
 */
export async function confirmSubscription(
  deps: Pick<SubscriptionDeps, 'tokenSecret' | 'subscribers'>,
  request: { token: unknown; now: Date },
): Promise<'confirmed' | 'already-confirmed'> {
  const { subject } = verifyToken(deps.tokenSecret, request.token, 'confirm', request.now);
  const outcome = await retryOnConflict(async () => {
    const existing = await deps.subscribers.get(subject);
    const decided = rules.confirm(existing, request.now);
    await write(deps.subscribers, existing, decided.next);
    return decided.outcome;
  });
  if (outcome === 'not-pending') {
    throw new PressrunError('conflict', 'This confirmation link is no longer valid: subscribe again to get a new one', [
      { field: 'token', message: 'belongs to a subscription that is no longer waiting for confirmation' },
    ]);
  }
  return outcome;
}

/** Unsubscribes the subscriber the token names, at once; idempotent, and silent about unknown subscribers. */
export async function unsubscribe(
  deps: Pick<SubscriptionDeps, 'tokenSecret' | 'subscribers'>,
  request: { token: unknown; source: string; now: Date },
): Promise<'unsubscribed' | 'already-unsubscribed'> {
  const { subject } = verifyToken(deps.tokenSecret, request.token, 'unsubscribe', request.now);
  return retryOnConflict(async () => {
    const existing = await deps.subscribers.get(subject);
    const next = rules.unsubscribe(existing, { source: request.source, now: request.now });
    await write(deps.subscribers, existing, next);
    return next ? 'unsubscribed' : 'already-unsubscribed';
  });
}

/** Never mails `email` again (a hard bounce or a complaint); known or not, repeated or late. */
export async function suppressAddress(
  deps: Pick<SubscriptionDeps, 'subscribers'>,
  request: { email: string; reason: rules.Suppression; now: Date },
): Promise<boolean> {
  const email = normalizeEmail(request.email);
  const id = subscriberId(email);
  return retryOnConflict(async () => {
    const existing = await deps.subscribers.get(id);
    const next = rules.suppress(existing, { id, email, reason: request.reason, now: request.now });
    await write(deps.subscribers, existing, next);
    return next !== undefined;
  });
}
