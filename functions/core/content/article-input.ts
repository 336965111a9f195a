import type { Article, ArticleImage, Author } from '../article.js';
import { PressrunError, type FieldProblem } from '../errors.js';
import { paths, siteUrl, type SiteConfig } from '../site.js';
import { articleIdFor, articleIdProblem } from './article-id.js';
import { articleDateProblem, implausibleDate, parseArticleDate } from './dates.js';
import { inputProblems } from './input-problems.js';
import { markdownToHtml } from './markdown.js';
import { firstParagraphText, htmlToPlainText, summarize } from './plain-text.js';
import { sanitizeArticleHtml } from './sanitize.js';
import { normalizeTag, slugify } from './slug.js';
import { stripXmlForbidden } from './xml-chars.js';
import { ArticleInputSchema, oneLine, type ArticleInputJson } from './article-input-schema.js';


/**
 * Values for fields the input leaves out, e.g. the stored article's on an edit. `updated`
 * never goes before `published`; `slug` keeps an edited article at its address.
 */
export interface ArticleDefaults {
  published?: string;
  updated?: string;
  slug?: string;
}

export interface ArticleContext {
  site: SiteConfig;
  now: Date;
  /** The file the input came from; prefixes the error message. */
  source?: string;
  /** Values used when the input does not give them, e.g. the date in a file name or of the stored article being edited. */
  /** `updated` applies only when the input gives none, and never goes before `published`. */
  defaults?: ArticleDefaults;
  /** Refuse input without a date instead of using `now` (content files must say when they were published). */
  requirePublished?: boolean;
}

/** Front matter spellings accepted for a canonical field. */
const ALIASES: ReadonlyArray<[alias: string, field: keyof ArticleInputJson]> = [
  ['date', 'published'],
  ['description', 'summary'],
  ['canonical_url', 'canonicalUrl'],
];

/**
 * An Article from the fields a client or a front matter block gives: validated (every problem
 * reported at once, in one 'invalid' PressrunError), converted, sanitized and completed.
 */
export function articleFromInput(input: unknown, ctx: ArticleContext): Article {
  const { fields, renamed, problems } = prepare(input, ctx.source);
  const parsed = ArticleInputSchema.safeParse(fields);
  if (!parsed.success) problems.push(...inputProblems(parsed.error.issues));
  problems.push(...crossFieldProblems(fields, ctx));
  if (!parsed.success || problems.length > 0) throw invalidArticle(ctx.source, problems, renamed);
  return build(parsed.data, ctx);
}

// eslint-disable-next-line complexity -- each optional field of an article, one line each
function build(data: ArticleInputJson, ctx: ArticleContext): Article {
  const title = oneLine(data.title);
  const slug = data.slug ?? ctx.defaults?.slug ?? slugify(title);
  // Relative links mean what they would on the article's own page, where a reader would click them.
  const html = sanitizeArticleHtml(
    data.body !== undefined ? markdownToHtml(data.body, ctx.source) : (data.html ?? ''),
    siteUrl(ctx.site, paths.articleUrl(slug)),
  );
  if (html.trim() === '') {
    const field = data.body !== undefined ? 'body' : 'html';
    throw invalidArticle(ctx.source, [{ field, message: 'has no content left once unsafe markup is removed' }]);
  }
  const text = htmlToPlainText(html);
  const given = data.summary !== undefined ? oneLine(data.summary) : '';
  const published = isoDate(data.published ?? ctx.defaults?.published) ?? ctx.now.toISOString();

  const article: Article = {
    id: data.id ?? articleIdFor(slug),
    slug,
    title,
    summary: given !== '' ? given : summarize(firstParagraphText(html) || text),
    html,
    text,
    published,
    updated: isoDate(data.updated) ?? (ctx.defaults?.updated && ctx.defaults.updated > published ? ctx.defaults.updated : published),
    authors: authorsOf(data, ctx.site),
    tags: [...new Set((data.tags ?? []).map(normalizeTag))],
    draft: data.draft ?? false,
  };
  if (data.image !== undefined) article.image = imageOf(data.image);
  if (data.canonicalUrl !== undefined) article.canonicalUrl = new URL(data.canonicalUrl).href;
  if (data.email === false) article.email = false;
  return article;
}

/** Strips forbidden characters everywhere, maps aliases, and splits a comma-separated tag string. */
function prepare(input: unknown, source: string | undefined) {
  if (!isPlainObject(input)) {
    const prefix = source ? `${source}: ` : '';
    throw new PressrunError('malformed', `${prefix}an article must be an object of fields`, [{ field: '', message: 'must be an object' }]);
  }
  // fromEntries defines own properties, so a "__proto__" key stays a (refused) field.
  const fields: Record<string, unknown> = Object.fromEntries(
    Object.entries(input)
      // An empty YAML value (`summary:`) or a JSON null means "not given".
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => [key, clean(value)]),
  );
  const renamed = new Map<string, string>();
  const problems: FieldProblem[] = [];
  for (const [alias, field] of ALIASES) {
    if (!Object.hasOwn(fields, alias)) continue;
    if (Object.hasOwn(fields, field)) {
      problems.push({ field: alias, message: `cannot be given together with ${field}` });
    } else {
      fields[field] = fields[alias];
      renamed.set(field, alias);
    }
    delete fields[alias];
  }
  if (typeof fields.tags === 'string') {
    fields.tags = fields.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
  }
  return { fields, renamed, problems };
}

// eslint-disable-next-line complexity -- the rules between fields, one check each
function crossFieldProblems(fields: Record<string, unknown>, ctx: ArticleContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (fields.body === undefined && fields.html === undefined) {
    problems.push({ field: 'body', message: 'is required (Markdown), or give html instead' });
  } else if (fields.body !== undefined && fields.html !== undefined) {
    problems.push({ field: 'html', message: 'cannot be given together with body' });
  }
  if (Array.isArray(fields.tags)) {
    fields.tags.forEach((tag: unknown, i) => {
      // Longer tags and non-strings are the schema's to report.
      if (typeof tag === 'string' && tag.length <= 100 && !canNormalizeTag(tag)) problems.push({ field: `tags.${i}`, message: 'has no letters or digits' });
    });
  }
  if (fields.author !== undefined && fields.authors !== undefined) {
    problems.push({ field: 'author', message: 'cannot be given together with authors' });
  }

  const fallback = ctx.defaults?.published;
  if (fields.published === undefined && fallback !== undefined) {
    const problem = articleDateProblem(fallback);
    if (problem) problems.push({ field: 'published', message: `"${fallback}" ${problem}` });
  }
  if (fields.published === undefined && fallback === undefined && ctx.requirePublished) {
    problems.push({ field: 'published', message: 'is required: add a date to the front matter or start the file name with YYYY-MM-DD-' });
  }
  const published = plausibleDate(fields.published ?? fallback);
  const updated = plausibleDate(fields.updated);
  if (published && updated && updated < published) {
    problems.push({ field: 'updated', message: 'must not be before published' });
  }
  // The feed gate's rule, applied now: an update cannot come after both now and the publication.
  const latest = new Date(Math.max(ctx.now.getTime(), published?.getTime() ?? 0));
  if (updated && implausibleDate(updated, latest) === 'too-late') {
    problems.push({ field: 'updated', message: `must not be later than now (${ctx.now.toISOString()}) or the article's publication` });
  }
  // One the schema refused already (not a URI at all) is its to report.
  const idProblem = typeof fields.id === 'string' && URL.canParse(fields.id) ? articleIdProblem(fields.id) : undefined;
  if (idProblem) problems.push({ field: 'id', message: idProblem });

  if (fields.slug === undefined && ctx.defaults?.slug === undefined && typeof fields.title === 'string' && oneLine(fields.title) !== '') {
    try {
      slugify(fields.title);
    } catch (err) {
      if (!(err instanceof PressrunError)) throw err;
      problems.push({ field: 'slug', message: 'cannot be made from a title without letters or digits; give a slug' });
    }
  }
  return problems;
}

function invalidArticle(source: string | undefined, problems: FieldProblem[], renamed = new Map<string, string>()): PressrunError {
  const named = problems.map(({ field, message }) => {
    const [first = '', ...rest] = field.split('.');
    return { field: stripXmlForbidden([renamed.get(first) ?? first, ...rest].join('.')), message };
  });
  const prefix = source ? `${source}: ` : '';
  const list = named.map((p) => `${p.field}: ${p.message}`).join('; ');
  const count = named.length === 1 ? 'invalid article' : `invalid article, ${named.length} problems`;
  return new PressrunError('invalid', `${prefix}${count}: ${list}`, named);
}

function authorsOf(data: ArticleInputJson, site: SiteConfig): Author[] {
  if (data.authors && data.authors.length > 0) {
    return data.authors.map((a) => author(oneLine(a.name), a.email, a.url && new URL(a.url).href));
  }
  if (data.author !== undefined) return [{ name: oneLine(data.author) }];
  return [author(oneLine(stripXmlForbidden(site.author.name)), site.author.email, site.author.url)];
}

function author(name: string, email?: string, url?: string): Author {
  return { name, ...(email ? { email: email.trim() } : {}), ...(url ? { url } : {}) };
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

function imageOf(image: NonNullable<ArticleInputJson['image']>): ArticleImage {
  const { url, alt = '', type, length = 0 } = typeof image === 'string' ? { url: image } : image;
  const href = new URL(url).href;
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(href).pathname)?.[1]?.toLowerCase();
  const mediaType = type ?? (extension ? IMAGE_TYPES[extension] : undefined);
  // A bare URL carries no description; alt="" marks the image as decorative rather than unlabelled.
  return { url: href, alt: oneLine(alt), ...(mediaType ? { type: mediaType.toLowerCase() } : {}), length };
}

function plausibleDate(value: unknown): Date | undefined {
  return typeof value === 'string' && articleDateProblem(value) === undefined ? parseArticleDate(value) : undefined;
}

function isoDate(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseArticleDate(value)?.toISOString();
}



function clean(value: unknown): unknown {
  if (typeof value === 'string') return stripXmlForbidden(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value)) return value.map(clean);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function canNormalizeTag(tag: string): boolean {
  try {
    normalizeTag(tag);
    return true;
  } catch (err) {
    if (err instanceof PressrunError) return false;
    throw err;
  }
}
