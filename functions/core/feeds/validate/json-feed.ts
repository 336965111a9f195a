/** JSON Feed 1.1: the JSON Schema (../schemas/json-feed-1.1.schema.json), then what a schema cannot say. */
import { Ajv, type ValidateFunction } from 'ajv';
import schema from '../schemas/json-feed-1.1.schema.json' with { type: 'json' };
import type { FeedCheckContext } from './context.js';
import type { ProblemList } from './problems.js';
import { checkAbsoluteUrl, checkContentUrls, checkRfc3339, isAbsoluteHttpUrl, isAbsoluteUri, slugOfArticleUrl } from './rules.js';

let validate: ValidateFunction | undefined;

/** Compiled on first use: compiling costs a few milliseconds, and only publishes need it. */
function schemaValidator(): ValidateFunction {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    // Our own formats rather than ajv-formats: the same rules the XML checks apply.
    ajv.addFormat('uri', { type: 'string', validate: (value: string) => isAbsoluteHttpUrl(value) });
    ajv.addFormat('date-time', { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) });
    validate = ajv.compile(schema);
  }
  return validate;
}

interface JsonItem {
  id?: unknown;
  url?: unknown;
  content_html?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  [key: string]: unknown;
}

// eslint-disable-next-line complexity -- JSON Feed 1.1's rules, one check each
export function checkJsonFeed(body: string, ctx: FeedCheckContext, problems: ProblemList): string[] | undefined {
  let feed: { feed_url?: unknown; items?: JsonItem[]; authors?: unknown; _archive?: unknown };
  try {
    feed = JSON.parse(body) as typeof feed;
  } catch (error) {
    problems.add('json-well-formed', '/', (error as Error).message);
    return undefined;
  }
  const check = schemaValidator();
  if (!check(feed)) {
    for (const error of check.errors ?? []) {
      const at = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const index = /^items\.(\d+)/.exec(at)?.[1];
      const slug = index === undefined ? undefined : slugOfArticleUrl(ctx.baseUrl, feed.items?.[Number(index)]?.url);
      problems.add(
        'schema',
        at || '/',
        `${error.message ?? 'is invalid'}${error.params && 'allowedValue' in error.params ? ` (${String(error.params.allowedValue)})` : ''}`,
        slug,
      );
    }
    return undefined;
  }
  if (feed.feed_url !== ctx.selfUrl) problems.add('self-link', 'feed_url', `must be "${ctx.selfUrl}"`);
  if (!Array.isArray(feed.authors) || feed.authors.length === 0)
    problems.add('json-feed', 'authors', 'JSON Feed 1.1 names its authors in "authors"');

  const ids: string[] = [];
  const seen = new Set<string>();
  (feed.items ?? []).forEach((item, i) => {
    const path = `items.${i}`;
    const slug = slugOfArticleUrl(ctx.baseUrl, item.url);
    const dates = { now: ctx.now, problems, ...(slug ? { slug } : {}) };
    if ('author' in item) problems.add('json-feed', `${path}.author`, 'JSON Feed 1.1 uses "authors" (a list), not "author"', slug);
    if (item.url !== undefined) checkAbsoluteUrl(item.url, `${path}.url`, problems, slug);
    for (const name of ['date_published', 'date_modified'] as const)
      if (item[name] !== undefined) checkRfc3339(item[name], `${path}.${name}`, dates);
    checkContentUrls(item.content_html, `${path}.content_html`, problems, slug);
    const id = item.id as string;
    if (!isAbsoluteUri(id)) problems.add('stable-id', `${path}.id`, `the id "${id}" is not an absolute URI`, slug);
    if (seen.has(id)) problems.add('unique-id', `${path}.id`, `the id ${id} is used by an earlier item`, slug);
    seen.add(id);
    ids.push(id);
  });
  return ids;
}
