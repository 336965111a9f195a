/**
 * Everything that would make `feed` throw a bare "Invalid URL" at render time, or write a feed
 * that breaks readers, reported at once and naming each field.
 */
import type { Article } from '../article.js';
import { articleIdProblem } from '../content/article-id.js';
import { isValidSlug } from '../content/slug-pattern.js';
import { invalid, type FieldProblem } from '../errors.js';
import type { SiteConfig } from '../site.js';
import type { FeedInput } from './feed-model.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
/** BCP 47 in the shape xml:lang and RSS accept: "en", "pt-BR", "zh-Hant-TW". */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
/** RFC 6838 names without "&": `feed` copies the type into an attribute unescaped. */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$^_.+-]*\/[a-z0-9][a-z0-9!#$^_.+-]*$/i;

type Check = (field: string, value: string) => FieldProblem[];

export function assertFeedInput({ site, articles, scope, emptyUpdated, archive }: FeedInput): void {
  const problems = [
    ...siteProblems(site),
    ...(['page', 'prev', 'next'] as const).flatMap((name) => pageNumber(`archive.${name}`, archive?.[name])),
    ...(scope?.tag === undefined ? [] : slug('scope.tag', scope.tag)),
    ...timestamp('emptyUpdated', emptyUpdated),
    ...articles.flatMap((article, i) => articleProblems(article, `articles.${i}`)),
    ...sharedSlugs(articles),
  ];
  if (problems.length > 0) {
    throw invalid(`Cannot build feeds: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  }
}

function siteProblems(site: SiteConfig): FieldProblem[] {
  return [
    ...(httpUrl('site.baseUrl', site.baseUrl).length === 0 && site.baseUrl.endsWith('/')
      ? []
      : [{ field: 'site.baseUrl', message: 'must be an absolute http(s) URL ending in "/"' }]),
    ...(LANGUAGE_TAG.test(site.language) ? [] : [{ field: 'site.language', message: 'must be a BCP 47 language tag such as "en"' }]),
    ...optional(httpUrl, 'site.author.url', site.author.url),
    ...optional(httpUrl, 'site.websubHub', site.websubHub),
  ];
}

function pageNumber(field: string, value: number | undefined): FieldProblem[] {
  return value === undefined || (Number.isSafeInteger(value) && value >= 1) ? [] : [{ field, message: 'must be a page number from 1' }];
}

/** What in one article would stop its feeds being built (an id not in normal form, a link that is not a URL …). */
export function articleProblems(article: Omit<Article, 'html' | 'text'>, at = ''): FieldProblem[] {
  return [
    ...atomId(`${at}.id`, article.id),
    ...slug(`${at}.slug`, article.slug),
    ...timestamp(`${at}.published`, article.published),
    ...timestamp(`${at}.updated`, article.updated),
    ...article.authors.flatMap((author, j) => optional(httpUrl, `${at}.authors.${j}.url`, author.url)),
    ...optional(httpUrl, `${at}.canonicalUrl`, article.canonicalUrl),
    ...(article.image === undefined
      ? []
      : [
          ...httpUrl(`${at}.image.url`, article.image.url),
          ...optional(mimeType, `${at}.image.type`, article.image.type),
          ...byteLength(`${at}.image.length`, article.image.length),
        ]),
  ];
}

/** Two articles (not copies of one) on one page URL would be two items with the same link. */
function sharedSlugs(articles: Article[]): FieldProblem[] {
  const idBySlug = new Map<string, string>();
  return articles.flatMap((article, i) => {
    const other = idBySlug.get(article.slug);
    idBySlug.set(article.slug, other ?? article.id);
    return other === undefined || other === article.id
      ? []
      : [{ field: `articles.${i}.slug`, message: `is used by another article (${other})` }];
  });
}

const httpUrl: Check = (field, value) => {
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  return protocol === 'https:' || protocol === 'http:' ? [] : [{ field, message: 'must be an absolute http(s) URL' }];
};

const atomId: Check = (field, value) => {
  const problem = articleIdProblem(value);
  return problem === undefined ? [] : [{ field, message: problem }];
};

const slug: Check = (field, value) =>
  isValidSlug(value) ? [] : [{ field, message: 'must be lower-case letters and digits joined by single hyphens' }];

const timestamp: Check = (field, value) =>
  RFC3339.test(value) && !Number.isNaN(Date.parse(value))
    ? []
    : [{ field, message: 'must be an RFC 3339 timestamp such as 2025-04-22T10:00:00.000Z' }];

const mimeType: Check = (field, value) => (MIME_TYPE.test(value) ? [] : [{ field, message: 'must be a MIME type such as image/jpeg' }]);

function byteLength(field: string, value: number | undefined): FieldProblem[] {
  return value === undefined || (Number.isSafeInteger(value) && value >= 0)
    ? []
    : [{ field, message: 'must be a whole number of bytes, 0 when unknown' }];
}

function optional(check: Check, field: string, value: string | undefined): FieldProblem[] {
  return value === undefined ? [] : check(field, value);
}
