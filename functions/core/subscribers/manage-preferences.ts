/**
 * The preference page's use cases: a reader's link (a token of the `preferences` purpose,
 * in every mail) shows what they receive and changes it. Showing changes nothing; saving
 * is a conditional write like every other change of a subscriber.
 */
import { PressrunError } from '../errors.js';
import type { Subscriber, SubscriberStore } from './ports.js';
import { applyPreferences, parsePreferences, preferencesOf, type Preferences } from './preferences.js';
import * as rules from './rules.js';
import { verifyToken } from './tokens.js';

export interface PreferenceDeps {
  tokenSecret: string;
  subscribers: Pick<SubscriberStore, 'get' | 'save'>;
}

export interface ReaderChoices {
  email: string;
  status: Subscriber['status'];
  preferences: Preferences;
}

/** Only a subscription still running can be changed: a pending or confirmed one, the one the link was made for. */
function running(subscriber: Subscriber | undefined, claims: ReturnType<typeof verifyToken>): Subscriber {
  if (subscriber && rules.tokenFits(subscriber, claims) && (subscriber.status === 'confirmed' || subscriber.status === 'pending')) {
    return subscriber;
  }
  throw new PressrunError('conflict', 'This link belongs to a subscription that has ended: subscribe again to choose what you receive', [
    { field: 'token', message: 'belongs to a subscription that is no longer running' },
  ]);
}

/** What the reader the token names receives now. */
export async function readChoices(deps: PreferenceDeps, request: { token: unknown; now: Date }): Promise<ReaderChoices> {
  const claims = verifyToken(deps.tokenSecret, request.token, 'preferences', request.now);
  const subscriber = running(await deps.subscribers.get(claims.subject), claims);
  return { email: subscriber.email, status: subscriber.status, preferences: preferencesOf(subscriber) };
}

/**
 * Changes what the reader the token names receives; fields left out stay as they are. The
 * next email of the reader holds what was published since their last one and matches the
 * new choice (core/delivery/reader-windows.ts), so a change neither repeats nor skips an article.
 */
export async function saveChoices(
  deps: PreferenceDeps,
  request: { token: unknown; preferences: unknown; now: Date },
): Promise<ReaderChoices> {
  const claims = verifyToken(deps.tokenSecret, request.token, 'preferences', request.now);
  const input = parsePreferences(request.preferences);
  for (let attempt = 1; ; attempt++) {
    const subscriber = running(await deps.subscribers.get(claims.subject), claims);
    const preferences = applyPreferences(preferencesOf(subscriber), input);
    const { version, ...record } = subscriber;
    try {
      await deps.subscribers.save({ ...record, preferences, updatedAt: request.now.toISOString() }, version);
      return { email: subscriber.email, status: subscriber.status, preferences };
    } catch (error) {
      if (!(error instanceof PressrunError && error.kind === 'conflict') || attempt >= 4) throw error;
    }
  }
}
