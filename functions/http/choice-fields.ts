/**
 * A reader's choices as forms send them (the site's subscribe form, the preference page) read
 * into the `preferences` object JSON clients send, for core/subscribers/preferences.ts to check:
 * `topics` once per checked tag (a value may also list tags separated by commas, as the
 * preference page's text field does; "all", or no tag at all, is every article), `cadence`,
 * `format`, and `hour` and `weekday` as numbers. Nothing is judged here: a value that is not a
 * number stays a string, so the problem names `preferences.hour` as it would for JSON.
 */
import * as z from 'zod/mini';
import { CADENCES, FORMATS, MAX_TOPICS } from '../core/subscribers/preferences.js';
import { doc } from './schemas.js';

/** The form fields a choice may come in; `topics` may repeat. */
export const REPEATED_CHOICE_FIELDS = ['topics'] as const;
const SINGLE_FIELDS = ['cadence', 'format', 'hour', 'weekday'] as const;

const integer = (value: string): number | string => (/^\d{1,2}$/.test(value.trim()) ? Number(value.trim()) : value);

/** The choices a form sent; undefined when it sent none (the one-field subscribe). */
export function choicesFromForm(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const choices: Record<string, unknown> = {};
  for (const name of SINGLE_FIELDS) {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') continue;
    choices[name] = name === 'hour' || name === 'weekday' ? integer(value) : value;
  }
  const topics = fields.topics;
  if (Array.isArray(topics)) {
    const tags = topics
      .flatMap((value: string) => value.split(','))
      .map((tag) => tag.trim().toLowerCase())
      .filter((tag) => tag !== '');
    choices.topics = tags.length === 0 || tags.includes('all') ? 'all' : tags;
  }
  return Object.keys(choices).length > 0 ? choices : undefined;
}

/** The `preferences` object, as the OpenAPI document shows it. */
export const PreferencesDoc = z.object({
  topics: z.optional(
    doc(z.union([z.literal('all'), z.array(z.string()).check(z.maxLength(MAX_TOPICS))]), {
      description: '"all" (the default), or the tags (slugs) to follow: an article with any of them is mailed, once.',
      example: ['science'],
    }),
  ),
  cadence: z.optional(
    doc(z.enum(CADENCES), {
      description:
        '"digest" (the default): with the site\'s digest; "each": an email for each publish, a few minutes after it; "daily": once a day at `hour`; "weekly": once a week on `weekday` at `hour`.',
    }),
  ),
  format: z.optional(doc(z.enum(FORMATS), { description: '"summary" (the default): titles and summaries; "full": the full articles.' })),
  hour: z.optional(
    doc(z.int().check(z.minimum(0), z.maximum(23)), { description: 'For daily and weekly: the hour, site time zone (default 7).' }),
  ),
  weekday: z.optional(
    doc(z.int().check(z.minimum(0), z.maximum(6)), { description: 'For weekly: 0 = Sunday … 6 = Saturday (default 1).' }),
  ),
});

/** The same choices as form fields. */
export const PreferenceFormDoc = {
  topics: z.optional(
    doc(z.union([z.string(), z.array(z.string())]), {
      description: 'Repeated, one per tag (or tags separated by commas); "all" or none: every article.',
    }),
  ),
  cadence: z.optional(z.enum(CADENCES)),
  format: z.optional(z.enum(FORMATS)),
  hour: z.optional(doc(z.string(), { description: '0 to 23' })),
  weekday: z.optional(doc(z.string(), { description: '0 (Sunday) to 6' })),
};
