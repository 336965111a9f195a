/**
 * Which articles a reader's next email holds, as pure functions. A reader's email holds what
 * was placed (StoredArticle.placed, or where a send first carried it) after their mark and up to
 * the send's cutoff, that matches their topics, each article once. Marks move only forward, so
 * every article placed while a reader is subscribed falls in exactly one of their windows,
 * whatever their cadence, their topics or a change of either in between.
 */
import { createHash } from 'node:crypto';
import type { Preferences } from '../subscribers/preferences.js';
import { wantsArticle } from '../subscribers/preferences.js';
import type { ReaderMark } from './ports.js';

/** An article a send may carry: its id, tags, whether it may be mailed, and where it counts as placed. */
export interface Candidate {
  id: string;
  tags: readonly string[];
  /** StoredArticle.placed, or the placement recorded when a send first carried it (DeliveryMarks.offered). */
  placed: string;
}

/** Articles placed after `after` (none given: any), up to and including `to`, apart from `except`; or exactly `only`. */
export interface Window {
  after?: string;
  except: readonly string[];
  to: string;
  /** A reader new to sends in a digest's send gets that digest's articles, as every reader did before marks. */
  only?: readonly string[];
}

/**
 * The window of a reader in a send. A mark this send wrote (a planning re-run) gives the window
 * it planned. In a digest's send, the window is the digest's articles (`only`: every digest
 * reader gets the digest, as before readers could choose), unless the reader's last email was
 * a round's (they changed their cadence): then, as in a round, a mark of an earlier send starts
 * the window where it ended. A round reader without a mark (new, or on a new subscription)
 * starts at `start`.
 */
export function windowOf(
  reader: { generation: number },
  mark: ReaderMark | undefined,
  send: { id: string; to: string; start: { after?: string }; only?: readonly string[] },
): Window {
  const own = mark && mark.generation === reader.generation ? mark : undefined;
  const only = send.only ? { only: send.only } : {};
  if (own?.send === send.id) return { ...only, ...(own.from ? { after: own.from } : {}), except: own.fromCarried ?? [], to: own.to };
  // A reader whose last email was of another cadence gets everything placed since, up to the digest's cutoff.
  if (send.only && own && own.send.startsWith('round-')) return { after: own.through, except: own.carried ?? [], to: send.to };
  if (send.only) return { only: send.only, except: [], to: send.to };
  if (own) return { after: own.through, except: own.carried ?? [], to: send.to };
  return { ...send.start, except: [], to: send.to };
}

const time = (iso: string) => Date.parse(iso);

/** The window's articles the reader wants, oldest placed first (ids break ties). */
export function selectFor(window: Window, topics: Pick<Preferences, 'topics'>, candidates: readonly Candidate[]): Candidate[] {
  const except = new Set(window.except);
  const only = window.only ? new Set(window.only) : undefined;
  const after = window.after === undefined ? -Infinity : time(window.after);
  const to = time(window.to);
  return candidates
    .filter((c) => {
      const at = time(c.placed);
      const inWindow = only ? only.has(c.id) : at <= to;
      return inWindow && at > after && !except.has(c.id) && wantsArticle(topics, c.tags);
    })
    .sort((a, b) => time(a.placed) - time(b.placed) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The mark after an email carrying `carried` (of the window's `selected`): the window is done up
 * to its end, unless the email could not carry everything (the size budget), when it is done up
 * to the content's cutoff and the articles carried past it are remembered.
 */
export function markAfter(
  window: Window,
  selected: readonly Candidate[],
  content: { cutoff: string; articleIds?: readonly string[] },
  send: { id: string; at: string; generation: number },
): ReaderMark {
  const carriedAll = selected.every((c) => content.articleIds?.includes(c.id) ?? true);
  const through = carriedAll ? window.to : content.cutoff;
  const carried = carriedAll
    ? []
    : selected.filter((c) => time(c.placed) > time(through) && content.articleIds?.includes(c.id)).map((c) => c.id);
  return {
    through,
    ...(carried.length > 0 ? { carried } : {}),
    send: send.id,
    at: send.at,
    ...(window.after ? { from: window.after } : {}),
    ...(window.except.length > 0 ? { fromCarried: [...window.except] } : {}),
    to: window.to,
    generation: send.generation,
  };
}

/** The id of the content an email holds: the same articles in the same format in one send share it, and so their one render. */
export function contentId(sendId: string, format: Preferences['format'], articleIds: readonly string[]): string {
  const hash = createHash('sha256')
    .update(`${sendId}\n${format}\n${articleIds.join('\n')}`)
    .digest('base64url')
    .slice(0, 16);
  return `c-${hash}`;
}

const QUARTER_MS = 15 * 60_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * When a daily or weekly email was last due at `at`: for an hour (and a weekday) of
 * `timeZone`, the latest instant at or before `at` when local time was that hour o'clock on
 * that day. The last eight days are read once, a quarter of an hour at a time (time zones
 * with half- and quarter-hour offsets, daylight saving), and every question answered from them.
 */
export function occurrences(at: Date, timeZone: string): (hour: number, weekday?: number) => Date {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23', weekday: 'short' });
  const hours: Array<{ instant: Date; hour: number; weekday: number }> = [];
  const start = Math.floor(at.getTime() / QUARTER_MS) * QUARTER_MS;
  for (let t = start; t > start - 8 * 24 * 4 * QUARTER_MS; t -= QUARTER_MS) {
    const instant = new Date(t);
    const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
    if (Number(parts.minute) === 0) hours.push({ instant, hour: Number(parts.hour), weekday: WEEKDAYS.indexOf(parts.weekday ?? '') });
  }
  const memo = new Map<string, Date>();
  return (hour, weekday) => {
    const key = `${hour}/${weekday ?? '*'}`;
    let found = memo.get(key);
    if (!found) {
      // An hour that did not exist (skipped by daylight saving) falls back to eight days ago: due once, late by an hour.
      found =
        hours.find((h) => h.hour === hour && (weekday === undefined || h.weekday === weekday))?.instant ?? new Date(start - 8 * 86_400_000);
      memo.set(key, found);
    }
    return found;
  };
}

/** The latest instant at or before `at` when it was some hour o'clock in `timeZone`. */
export function latestWholeHour(at: Date, timeZone: string): Date {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, minute: 'numeric' });
  const start = Math.floor(at.getTime() / QUARTER_MS) * QUARTER_MS;
  for (let t = start; t > start - 4 * QUARTER_MS; t -= QUARTER_MS) if (Number(format.format(new Date(t))) === 0) return new Date(t);
  return new Date(start - 4 * QUARTER_MS);
}

/**
 * Whether a reader on a daily or weekly cadence is due at `at`: their hour (and day) came since
 * they were last planned into a send, or since they confirmed. `occurrence` is memoized by the
 * caller: a send asks for at most 24 × 8 distinct ones however many readers it plans.
 */
export function isDue(
  preferences: Pick<Preferences, 'cadence' | 'hour' | 'weekday'>,
  since: string | undefined,
  occurrence: (hour: number, weekday?: number) => Date,
): boolean {
  if (preferences.cadence === 'each') return true;
  if (preferences.cadence === 'digest') return false;
  const due = occurrence(preferences.hour, preferences.cadence === 'weekly' ? preferences.weekday : undefined);
  return since === undefined || due.getTime() > time(since);
}
