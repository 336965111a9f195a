/** Readers who asked for the digest by email, and where their status is kept. */
import type { Preferences, PreferencesInput } from './preferences.js';

/** pending until the address confirms; bounced and complained are for good. */
export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained';

export interface Subscriber {
  /** Derived from the normalized address (core/subscribers/email.ts), so links carry no address. */
  id: string;
  /** Normalized: trimmed, lower case, domain in ASCII. */
  email: string;
  status: SubscriberStatus;
  /** Where the latest change came from: 'form', 'api', 'one-click', 'ses-event' … */
  source: string;
  createdAt: string;
  updatedAt: string;
  /** When the latest subscription request was made. */
  requestedAt?: string;
  /**
   * Which subscription of this address the record is on: 1 for the first, one more each time
   * the address subscribes again after leaving. Link tokens name it, so a link made for one
   * subscription never acts on a later one. Absent (0) on records from before it was kept.
   */
  generation?: number;
  /** Consent: when the address confirmed (with `consentSource`, how the request had come in). */
  confirmedAt?: string;
  consentSource?: string;
  unsubscribedAt?: string;
  /** When a hard bounce or a complaint suppressed the address. */
  suppressedAt?: string;
  /** What the reader chose to receive (preferences.ts); absent until they choose, which means the defaults. */
  preferences?: Preferences;
  /** Optimistic concurrency; 1 after the first write. */
  version: number;
}

/** Whether a subscriber may be mailed, and on which subscription (its links are made for). */
export type SubscriberStanding = Pick<Subscriber, 'id' | 'status' | 'generation'>;

/** What planning a send needs to know of each confirmed reader. */
export type ConfirmedReader = Pick<Subscriber, 'id' | 'email' | 'preferences' | 'generation' | 'confirmedAt'>;

export interface SubscriberStore {
  get(id: string): Promise<Subscriber | undefined>;
  /** Strongly consistent reads of many subscribers; missing ids are absent from the map. */
  getMany(ids: string[]): Promise<Map<string, Subscriber>>;
  /** Where many subscribers stand now, and nothing else of their records (what a send checks before mailing); missing ids are absent. */
  standings(ids: string[]): Promise<Map<string, SubscriberStanding>>;
  /**
   * Writes the subscriber if the stored version is still `expectedVersion` (0: it must not
   * exist yet), with the version increased by one; a 'conflict' PressrunError otherwise.
   */
  save(subscriber: Omit<Subscriber, 'version'>, expectedVersion: number): Promise<Subscriber>;
  /**
   * Every confirmed subscriber, a page at a time, in id order; with `after`, only those whose id
   * comes after it; with `from` and `before`, only those in that range of ids (a segment of a send).
   */
  confirmed(range?: ConfirmedRange): AsyncIterable<ConfirmedReader[]>;
}

/** Which confirmed subscribers to read: ids after `after` (exclusive), from `from` (inclusive), before `before` (exclusive). */
export interface ConfirmedRange {
  after?: string;
  from?: string;
  before?: string;
}

/** A subscription request as the API accepted it: the address checked and normalized, nothing looked up yet. */
export interface SubscribeRequest {
  /** Normalized (core/subscribers/email.ts). */
  email: string;
  source: string;
  /** What the reader chose in the form or the API request, if anything; kept on the pending record, applied once confirmed. */
  preferences?: PreferencesInput;
  /** When the API accepted it (ISO 8601); the subscriber's `requestedAt`, and the start of its confirmation link's life. */
  at: string;
}

/**
 * Where the API leaves subscription requests, so that it answers before anything about the
 * address is read or written (the mail queue in the cloud, an in-process stand-in locally);
 * the send worker carries them out (core/delivery/queued-mail.ts).
 */
export interface SubscribeRequests {
  submit(request: SubscribeRequest): Promise<void>;
}
