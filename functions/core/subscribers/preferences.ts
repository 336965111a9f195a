/**
 * What a reader chose to receive: which articles (every one, or those of some tags), how
 * often (with the site's digest, each article as it is published, daily or weekly at an hour
 * of the site's time zone) and in which form (summaries, as the digest has always shown them,
 * or the full articles). A subscriber who never chose has the defaults, which are what every
 * reader received before readers could choose.
 */
import * as z from 'zod/mini';
import '../content/zod-messages.js';
import { isValidSlug } from '../content/slug-pattern.js';
import { PressrunError } from '../errors.js';

export const CADENCES = ['digest', 'each', 'daily', 'weekly'] as const;
export const FORMATS = ['summary', 'full'] as const;
export type Cadence = (typeof CADENCES)[number];
export type Format = (typeof FORMATS)[number];

/** Tags a reader may follow at once: enough for any reader, few enough to keep a record small. */
export const MAX_TOPICS = 50;

export interface Preferences {
  /** 'all', or the tags (slugs) whose articles the reader wants; an article with any of them matches. */
  topics: 'all' | string[];
  cadence: Cadence;
  format: Format;
  /** For daily and weekly: the hour (0–23) of the site's time zone the email goes out at or after. */
  hour: number;
  /** For weekly: the day, 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

export const DEFAULT_PREFERENCES: Preferences = Object.freeze({ topics: 'all', cadence: 'digest', format: 'summary', hour: 7, weekday: 1 });

/** A reader's preferences, the defaults filling what they never chose. */
export function preferencesOf(subscriber: { preferences?: Partial<Preferences> | undefined }): Preferences {
  return { ...DEFAULT_PREFERENCES, ...subscriber.preferences };
}

const topics = z.union([
  z.literal('all'),
  z
    .array(
      z.string('must be a string').check(z.refine(isValidSlug, 'must be a tag as the site writes it: lower-case words joined by hyphens')),
    )
    .check(z.minLength(1, 'must name at least one tag, or be "all"'), z.maxLength(MAX_TOPICS, `must name at most ${MAX_TOPICS} tags`)),
]);

/** What an API client or a form may send; every field optional, so the one-field subscribe stays one field. */
export const preferencesInputSchema = z.strictObject({
  topics: z.optional(topics),
  cadence: z.optional(z.enum(CADENCES, `must be one of ${CADENCES.join(', ')}`)),
  format: z.optional(z.enum(FORMATS, `must be one of ${FORMATS.join(', ')}`)),
  hour: z.optional(z.int('must be a whole number').check(z.minimum(0, 'must be 0 to 23'), z.maximum(23, 'must be 0 to 23'))),
  weekday: z.optional(
    z.int('must be a whole number').check(z.minimum(0, 'must be 0 (Sunday) to 6'), z.maximum(6, 'must be 0 (Sunday) to 6')),
  ),
});

export type PreferencesInput = z.infer<typeof preferencesInputSchema>;

/** Checks what a client sent: an 'invalid' PressrunError naming each field (`preferences.cadence`, …) otherwise. */
export function parsePreferences(input: unknown, field = 'preferences'): PreferencesInput {
  const parsed = preferencesInputSchema.safeParse(input);
  if (parsed.success) return normalize(parsed.data);
  throw new PressrunError(
    'invalid',
    'The preferences are not valid',
    parsed.error.issues.map((issue) => ({ field: [field, ...issue.path.map(String)].join('.'), message: issue.message })),
  );
}

/** Tags sorted and once each, so two readers who chose the same tags are seen to have chosen the same. */
function normalize(input: PreferencesInput): PreferencesInput {
  return Array.isArray(input.topics) ? { ...input, topics: [...new Set(input.topics)].sort() } : input;
}

/** `current` with what `input` changes; fields the input leaves out stay as they are. */
export function applyPreferences(current: Preferences, input: PreferencesInput): Preferences {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return { ...current, ...defined } as Preferences;
}

/** Whether an article with `tags` is one the reader asked for. */
export function wantsArticle(preferences: Pick<Preferences, 'topics'>, tags: readonly string[]): boolean {
  if (preferences.topics === 'all') return true;
  const wanted = preferences.topics;
  return tags.some((tag) => wanted.includes(tag));
}
