/**
 * What an article looks like as an API client sends it, as a zod schema: validation and the
 * OpenAPI document both read it. Kept apart from the conversion (article-input.ts), whose
 * Markdown parser, sanitizer and transliteration the API function, which only documents
 * articles, does without: checks that need them (a tag must make a slug) are made there.
 */
import * as z from 'zod/mini';
import { articleDateProblem } from './dates.js';
import { isValidSlug } from './slug-pattern.js';
import './zod-messages.js';

/**
 * The longest article text, as Markdown or HTML: about 40,000 words, far beyond any article, and
 * what the parsers and the sanitizer turn into a page in under a second even when every character
 * is markup (npm run bench: the pathological corpus). Longer text answers 422 naming the field.
 */
export const MAX_ARTICLE_CHARACTERS = 256_000;

const stringField = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .check(z.maxLength(max, `must be at most ${max} characters`));

const nonEmptyText = (max: number) => stringField(max).check(z.refine((s) => oneLine(s) !== '', 'must not be empty'));

const httpUrl = stringField(2000).check(z.refine(isAbsoluteHttpUrl, 'must be an absolute http or https URL'));

const dateField = stringField(40).check(
  z.superRefine((value, ctx) => {
    const problem = articleDateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  z.describe('An RFC 3339 date-time with a time zone (2025-04-22T09:30:00Z) or a date (2025-04-22, midnight UTC); not before 1995.'),
);

/** An optional field documented by `description` (the description sits on the optional, as classic zod's `.optional().describe()` put it). */
const described = <T extends z.ZodMiniType>(schema: T, description: string) => z.optional(schema).check(z.describe(description));

const AuthorSchema = z.strictObject({
  name: nonEmptyText(200),
  email: z.optional(z.email('must be an email address')),
  url: z.optional(httpUrl),
});

const ImageSchema = z.strictObject({
  url: httpUrl,
  alt: stringField(1000),
  type: z.optional(stringField(100).check(z.regex(/^image\/[A-Za-z0-9.+-]+$/, 'must be an image MIME type such as image/jpeg'))),
  length: z.optional(
    z.number('must be a number').check(z.int('must be a whole number of bytes'), z.nonnegative('must not be negative')),
  ),
});

/**
 * The fields of an article as an API client sends them (and as Markdown front matter holds them,
 * after aliases are mapped). Unknown fields are refused, so a typo is an error rather than silently lost.
 */
export const ArticleInputSchema = z.strictObject({
  title: nonEmptyText(300),
  slug: described(
    stringField(100).check(z.refine(isValidSlug, 'must be lower-case letters and digits joined by single hyphens')),
    'The address: articles/<slug>/. Made from the title when not given.',
  ),
  id: described(
    stringField(200).check(z.regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, 'must be an absolute URI such as urn:uuid:…')),
    'The feed id, only to keep one assigned elsewhere; a new article gets a urn:uuid made from its slug.',
  ),
  summary: described(stringField(1000), 'Plain text. Made from the first paragraph when not given.'),
  body: described(
    stringField(MAX_ARTICLE_CHARACTERS).check(z.refine(notBlank, 'must not be empty')),
    'The text as Markdown (GitHub flavoured). Exactly one of body and html.',
  ),
  html: described(stringField(MAX_ARTICLE_CHARACTERS).check(z.refine(notBlank, 'must not be empty')), 'The text as HTML; it is sanitized.'),
  published: z.optional(dateField),
  updated: z.optional(dateField),
  authors: z.optional(z.array(AuthorSchema, 'must be a list of authors').check(z.maxLength(20, 'must hold at most 20 authors'))),
  author: described(nonEmptyText(200), 'One author by name; the site author when neither author nor authors is given.'),
  tags: described(
    // Each tag must also make a slug; that check needs the transliteration tables, so article-input.ts makes it.
    z.array(stringField(100), 'must be a list of tags').check(z.maxLength(20, 'must hold at most 20 tags')),
    'Normalized to lower-case slugs; duplicates are dropped.',
  ),
  image: described(
    z.union([httpUrl, ImageSchema]),
    'An absolute image URL, or { url, alt, type?, length? }; the type is guessed from the extension.',
  ),
  canonicalUrl: described(httpUrl, 'Where the article was first published, if elsewhere.'),
  draft: described(z.boolean('must be true or false'), 'Drafts are stored but never published. Default false.'),
  email: described(z.boolean('must be true or false'), 'false: published, but never mailed to subscribers. Default true.'),
});

export type ArticleInputJson = z.infer<typeof ArticleInputSchema>;

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && value.trim() === value;
  } catch {
    return false;
  }
}

function notBlank(s: string): boolean {
  return s.trim() !== '';
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
