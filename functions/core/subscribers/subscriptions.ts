/**
 * The subscriber use cases: subscribe (double opt-in), confirm, unsubscribe, and the
 * suppression of addresses that bounced or complained. Answers never depend on whether an
 * address is known, so the public routes reveal nothing about who is subscribed: a
 * subscription request is only checked and queued while the reader waits (acceptSubscription);
 * everything about the address happens after the answer, in the send worker
 * (applySubscribeRequest, called by core/delivery/queued-mail.ts).
 */
import { PressrunError } from '../errors.js';
import { confirmationMessage } from '../mail/messages.js';
import type { MailSettings } from '../mail/mail-settings.js';
import type { MailMessage } from '../mail/ports.js';
import type { RateLimiter } from '../rate-limit.js';
import type { Subscriber, SubscriberStore, SubscribeRequests } from './ports.js';
import { SUBSCRIBE_LIMITS, type RateRule } from '../rate-limit.js';
import type { SiteConfig } from '../site.js';
import { normalizeEmail, subscriberId } from './email.js';
import { confirmUrl } from '../urls.js';
import * as rules from './rules.js';
import { parsePreferences, type PreferencesInput } from './preferences.js';
import { issueToken, TOKEN_LIFETIME_MS, verifyToken, type TokenPurpose } from './tokens.js';

/** What carrying out a subscription request needs (the send worker has it). */
export interface SubscriptionDeps {
  site: SiteConfig;
  mail: MailSettings;
  tokenSecret: string;
  subscribers: SubscriberStore;
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
 * What the API does while the reader waits: checks the address's syntax and queues the
 * request. Nothing about the address is read or written here, so every address, known or
 * not, costs the same work and gets the same answer. Throws 'invalid' for an address that
 * cannot receive mail, and whatever `requests` throws when the request could not be queued.
 */
export async function acceptSubscription(
  deps: { requests: SubscribeRequests },
  request: { email: unknown; source: string; now: Date; preferences?: unknown },
): Promise<void> {
  const email = normalizeEmail(request.email);
  const preferences = request.preferences === undefined ? undefined : parsePreferences(request.preferences);
  await deps.requests.submit({ email, source: request.source, at: request.now.toISOString(), ...(preferences ? { preferences } : {}) });
}

/**
 * limited          over the per-address limit: dropped (nobody is waiting to be told)
 * nothing-to-mail  confirmed or suppressed: nothing changes and nothing is mailed
 * mail             pending now: `message` is its confirmation, for the caller to send
 */
export type SubscribeResult = { outcome: 'limited' | 'nothing-to-mail' } | { outcome: 'mail'; message: MailMessage };

/**
 * Carries out a subscription request the API accepted at `now`: counts it against the
 * address's limit, creates or refreshes a pending subscriber, and makes its confirmation
 * mail, whose link names the subscription it is for. A request carried out again (its mail
 * was not taken) writes the same record, its time being the request's, and makes the same
 * link; it counts once more against the address's limit.
 */
export async function applySubscribeRequest(
  deps: SubscriptionDeps,
  request: { email: unknown; source: string; now: Date; preferences?: PreferencesInput | undefined },
): Promise<SubscribeResult> {
  const email = normalizeEmail(request.email);
  const id = subscriberId(email);
  const rule = deps.perAddress ?? SUBSCRIBE_LIMITS.perAddress;
  const rate = await deps.rateLimiter.hit(`subscribe-address:${id}`, rule.limit, rule.windowSeconds, request.now);
  if (!rate.allowed) return { outcome: 'limited' };
  const decision = await retryOnConflict(async () => {
    const existing = await deps.subscribers.get(id);
    const decided = rules.subscribe(existing, { id, email, source: request.source, now: request.now, preferences: request.preferences });
    await write(deps.subscribers, existing, decided.next);
    return decided;
  });
  if (!decision.confirm || !decision.next) return { outcome: 'nothing-to-mail' };
  const token = issueToken(deps.tokenSecret, 'confirm', id, request.now, rules.generationOf(decision.next));
  const days = Math.round(TOKEN_LIFETIME_MS.confirm / 86_400_000);
  return { outcome: 'mail', message: confirmationMessage(deps.site, deps.mail, email, confirmUrl(deps.site, token), days) };
}

/** Checks a link without acting on it: what the GET pages do before showing their button. */
export function checkLink(
  deps: Pick<SubscriptionDeps, 'tokenSecret'>,
  request: { token: unknown; purpose: TokenPurpose; now: Date },
): void {
  verifyToken(deps.tokenSecret, request.token, request.purpose, request.now);
}

/** A confirmed subscription, and the link token to its preference page (the reader may choose right away). */
export interface Confirmation {
  status: 'confirmed' | 'already-confirmed';
  /** A `preferences` token for the subscription just confirmed. */
  preferencesToken: string;
}

/**
 * Confirms the subscriber the token names. Confirming again is harmless; a subscriber who is
 * no longer pending (unsubscribed since, or suppressed), or a link made for an earlier
 * subscription of the address, gets a 'conflict' asking for a new subscription.
 */
export async function confirmSubscription(
  deps: Pick<SubscriptionDeps, 'tokenSecret' | 'subscribers'>,
  request: { token: unknown; now: Date },
): Promise<Confirmation> {
  const claims = verifyToken(deps.tokenSecret, request.token, 'confirm', request.now);
  const decided = await retryOnConflict(async () => {
    const existing = await deps.subscribers.get(claims.subject);
    // A link made for an earlier subscription of the address confirms nothing.
    const decision =
      existing && !rules.tokenFits(existing, claims) ? { outcome: 'not-pending' as const } : rules.confirm(existing, request.now);
    await write(deps.subscribers, existing, decision.next);
    return { outcome: decision.outcome, generation: existing ? rules.generationOf(existing) : 0 };
  });
  if (decided.outcome === 'not-pending') {
    throw new PressrunError('conflict', 'This confirmation link is no longer valid: subscribe again to get a new one', [
      { field: 'token', message: 'belongs to a subscription that is no longer waiting for confirmation' },
    ]);
  }
  // Made for the subscription just confirmed (its generation), as every later mail's link is.
  const preferencesToken = issueToken(deps.tokenSecret, 'preferences', claims.subject, request.now, decided.generation);
  return { status: decided.outcome, preferencesToken };
}

/**
 * Unsubscribes the subscriber the token names, at once; idempotent, and silent about unknown
 * subscribers. A link made for an earlier subscription of the address never ends a later one:
 * a 'conflict' says to use the link of a more recent mail.
 */
export async function unsubscribe(
  deps: Pick<SubscriptionDeps, 'tokenSecret' | 'subscribers'>,
  request: { token: unknown; source: string; now: Date },
): Promise<'unsubscribed' | 'already-unsubscribed'> {
  const claims = verifyToken(deps.tokenSecret, request.token, 'unsubscribe', request.now);
  const outcome = await retryOnConflict(async () => {
    const existing = await deps.subscribers.get(claims.subject);
    const next = rules.unsubscribe(existing, { source: request.source, now: request.now });
    if (next && existing && !rules.tokenFits(existing, claims)) return 'ended' as const;
    await write(deps.subscribers, existing, next);
    return next ? 'unsubscribed' : 'already-unsubscribed';
  });
  if (outcome === 'ended') throw endedSubscription();
  return outcome;
}

/** An unsubscribe link of a subscription that has ended, used while the address has another. */
function endedSubscription(): PressrunError {
  return new PressrunError('conflict', 'This unsubscribe link belongs to an earlier subscription, which has ended', [
    {
      field: 'token',
      message: 'was made for an earlier subscription of this address; the link in a more recent email ends the current one',
    },
  ]);
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
