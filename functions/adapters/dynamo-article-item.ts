/** How an article is laid out as DynamoDB items: the article itself and its feed memberships. */
import { placedAt, type ArticleHead, type StoredArticle } from '../core/article.js';
import type { ArticleInput } from '../core/content/ports.js';
import { packJson, unpackJson, utf8Bytes } from './compressed-json.js';
import { keys, PK, SK, sortableIso } from './dynamo-table.js';
import type { Item, Key } from './dynamo-requests.js';

/**
 * Bodies above this size are stored gzipped in one binary attribute: html and text together
 * can reach the API's 1 MB limit, far over DynamoDB's 400 KB item limit, and compress ~4x.
 */
export const COMPRESS_BODY_ABOVE_BYTES = 64 * 1024;

export function toArticleItem(input: ArticleInput, version: number): { item: Item; article: StoredArticle } {
  const article = pickArticle({ ...input, version });
  const { html, text, ...rest } = article;
  const large = utf8Bytes(html) + utf8Bytes(text) > COMPRESS_BODY_ABOVE_BYTES;
  const item: Item = { ...keys.article(article.slug), ...rest, ...(large ? { body: packJson({ html, text }) } : { html, text }) };
  return { item, article };
}

export function fromArticleItem(item: Item): StoredArticle {
  const body =
    item.body instanceof Uint8Array ? unpackJson<{ html: string; text: string }>(item.body) : { html: item.html, text: item.text };
  return pickArticle({ ...(item as unknown as StoredArticle), ...(body as { html: string; text: string }) });
}

/** Every field of a stored article, in the order an article's JSON lists them. */
const STORED_FIELDS = [
  'id',
  'slug',
  'title',
  'summary',
  'html',
  'text',
  'published',
  'updated',
  'authors',
  'tags',
  'image',
  'canonicalUrl',
  'draft',
  'email',
  'version',
  'source',
  'sourceHash',
  'placed',
] as const satisfies ReadonlyArray<keyof StoredArticle>;
// A field added to StoredArticle and not to the list fails the type check here.
const everyField: Exclude<keyof StoredArticle, (typeof STORED_FIELDS)[number]> extends never ? true : never = true;
void everyField;

/** Every attribute of an article item but its body (html and text, or the gzipped body): an ArticleHead. */
export const ARTICLE_HEAD_ATTRIBUTES: ReadonlyArray<keyof ArticleHead> = STORED_FIELDS.filter(
  (field): field is Exclude<typeof field, 'html' | 'text'> => field !== 'html' && field !== 'text',
);

/** An article item read without its body (ARTICLE_HEAD_ATTRIBUTES). */
export function fromArticleHeadItem(item: Item): ArticleHead {
  const head: Partial<StoredArticle> = pickArticle({ ...(item as unknown as StoredArticle), html: '', text: '' });
  delete head.html;
  delete head.text;
  return head as ArticleHead;
}

/** Copies exactly the fields of a stored article, so neither key attributes nor stray input fields travel. */
function pickArticle(source: StoredArticle): StoredArticle {
  const article: Partial<Record<keyof StoredArticle, unknown>> = {};
  for (const name of STORED_FIELDS) if (source[name] !== undefined) article[name] = source[name];
  // Kept only when it says more than the date: most articles take their place at their date.
  if (article.placed === source.published) delete article.placed;
  return article as StoredArticle;
}

/**
 * The feeds an article appears in, as membership keys: the site-wide feed and one per tag.
 * Drafts appear in none. Membership sort keys start with the article's placement (its date,
 * or when it was written if later), latest last.
 */
export function membershipKeys(article: Pick<StoredArticle, 'slug' | 'published' | 'placed' | 'tags' | 'draft'>): Key[] {
  if (article.draft) return [];
  const sort = keys.membershipSort(sortableIso(placedAt(article), 'placed'), article.slug);
  return [undefined, ...article.tags].map((tag) => ({ [PK]: keys.membershipPartition(tag), [SK]: sort }));
}

/**
 * Whether a membership item still describes the article it points to. Memberships are written
 * before and removed after the article write, so a crash or a lost race can leave stale ones;
 * checking here keeps every read correct without transactions.
 */
export function membershipHolds<T extends Pick<StoredArticle, 'slug' | 'published' | 'placed' | 'tags' | 'draft'>>(
  membership: Item,
  article: T | undefined,
  tag: string | undefined,
): article is T {
  if (!article || article.draft) return false;
  if (tag !== undefined && !article.tags.includes(tag)) return false;
  return membership[SK] === keys.membershipSort(sortableIso(placedAt(article), 'placed'), article.slug);
}
