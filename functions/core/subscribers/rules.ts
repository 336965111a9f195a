/**
 * What each request does to a subscriber, as pure functions of the stored record. Each
 * returns the record to write, or undefined when nothing changes, so repeating a request
 * is harmless by construction.
 */
import type { Subscriber, SubscriberStatus } from './ports.js';
import { applyPreferences, preferencesOf, type PreferencesInput } from './preferences.js';
import { issuedAt, type TokenClaims } from './tokens.js';

export type SubscriberRecord = Omit<Subscriber, 'version'>;

/** Addresses never mailed again, whatever is asked later. */
export const SUPPRESSED: ReadonlySet<SubscriberStatus> = new Set(['bounced', 'complained']);

export interface SubscribeDecision {
  next?: SubscriberRecord;
  /** Whether a confirmation mail goes out. */
  confirm: boolean;
}

/** The subscription a record is on (Subscriber.generation); 0 for records from before it was kept. */
export const generationOf = (subscriber: Pick<Subscriber, 'generation'>): number => subscriber.generation ?? 0;

/**
 * A subscription request. New, pending and unsubscribed addresses become pending and are
 * asked to confirm; a confirmed address stays as it is; a bounced or complained one is
 * never mailed again. A new or unsubscribed address starts a new subscription (its
 * generation goes up, so links made for the one before stop working); a pending one stays
 * on its own. The caller answers the same in every case.
 */
export function subscribe(
  existing: Subscriber | undefined,
  request: { id: string; email: string; source: string; now: Date; preferences?: PreferencesInput | undefined },
): SubscribeDecision {
  const at = request.now.toISOString();
  // What the request chose, over what the record had: a pending reader who asks again with other choices gets those.
  const chosen = request.preferences ? { preferences: applyPreferences(preferencesOf(existing ?? {}), request.preferences) } : {};
  if (!existing) {
    return {
      next: {
        id: request.id,
        email: request.email,
        status: 'pending',
        source: request.source,
        createdAt: at,
        updatedAt: at,
        requestedAt: at,
        generation: 1,
        ...chosen,
      },
      confirm: true,
    };
  }
  if (existing.status === 'confirmed' || SUPPRESSED.has(existing.status)) return { confirm: false };
  const { version: _version, ...record } = existing;
  const generation = existing.status === 'pending' ? {} : { generation: generationOf(existing) + 1 };
  return {
    next: { ...record, status: 'pending', source: request.source, updatedAt: at, requestedAt: at, ...generation, ...chosen },
    confirm: true,
  };
}

/**
 * Whether a link token was made for the subscription `subscriber` is on now. A token names
 * its subscription; one from before tokens did is taken only where that is unambiguous: the
 * record is still on the subscription it had then (no generation kept), and that
 * subscription was last requested no later than the token was issued (to the second).
 * Anything else was made for a subscription that has ended.
 */
export function tokenFits(subscriber: Subscriber, claims: Pick<TokenClaims, 'purpose' | 'expiresAt' | 'generation'>): boolean {
  if (claims.generation !== undefined) return claims.generation === generationOf(subscriber);
  if (subscriber.generation !== undefined) return false;
  const since = Date.parse(subscriber.requestedAt ?? subscriber.createdAt);
  return Math.floor(since / 1000) * 1000 <= issuedAt(claims).getTime();
}

export type ConfirmOutcome = 'confirmed' | 'already-confirmed' | 'not-pending';

/** Only a pending address confirms; confirming twice is harmless; anything else needs a new subscription. */
export function confirm(existing: Subscriber | undefined, now: Date): { outcome: ConfirmOutcome; next?: SubscriberRecord } {
  if (!existing) return { outcome: 'not-pending' };
  if (existing.status === 'confirmed') return { outcome: 'already-confirmed' };
  if (existing.status !== 'pending') return { outcome: 'not-pending' };
  const at = now.toISOString();
  const { version: _version, ...record } = existing;
  return {
    outcome: 'confirmed',
    next: { ...record, status: 'confirmed', updatedAt: at, confirmedAt: at, consentSource: existing.source },
  };
}

/** Pending and confirmed addresses leave; everyone else already receives nothing. */
export function unsubscribe(existing: Subscriber | undefined, request: { source: string; now: Date }): SubscriberRecord | undefined {
  if (!existing || (existing.status !== 'pending' && existing.status !== 'confirmed')) return undefined;
  const at = request.now.toISOString();
  const { version: _version, ...record } = existing;
  return { ...record, status: 'unsubscribed', source: request.source, updatedAt: at, unsubscribedAt: at };
}

export type Suppression = 'bounced' | 'complained';

/**
 * A hard bounce or a complaint, for good. A complaint outranks a bounce, so the order in
 * which duplicate or late events arrive never changes the end state.
 */
export function suppress(
  existing: Subscriber | undefined,
  request: { id: string; email: string; reason: Suppression; now: Date },
): SubscriberRecord | undefined {
  const at = request.now.toISOString();
  if (!existing) {
    return {
      id: request.id,
      email: request.email,
      status: request.reason,
      source: 'ses-event',
      createdAt: at,
      updatedAt: at,
      suppressedAt: at,
    };
  }
  if (existing.status === 'complained' || existing.status === request.reason) return undefined;
  const { version: _version, ...record } = existing;
  return { ...record, status: request.reason, source: 'ses-event', updatedAt: at, suppressedAt: existing.suppressedAt ?? at };
}
