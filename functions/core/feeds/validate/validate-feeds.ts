/**
 * The validation gate: every feed a publish would write, checked against its format and the
 * rules of STANDARDS.md before anything is written. Pure and in-process (no xmllint in Lambda);
 * the RelaxNG schemas in ../schemas say the same for RSS and Atom to xmllint in the client tests.
 */
import { PressrunError } from '../../errors.js';
import type { OutputObject } from '../../site.js';
import { siteUrl, type SiteConfig } from '../../site.js';
import { checkAtom } from './atom.js';
import type { FeedCheckContext } from './context.js';
import { checkJsonFeed } from './json-feed.js';
import { FEED_RULES, ProblemList, type FeedProblem, type FeedRule } from './problems.js';
import { checkRss } from './rss.js';
import { parseXml } from './xml.js';

export { FEED_RULES, type FeedProblem, type FeedRule };

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedDocument {
  /** The object key, e.g. "tags/news/feed.xml". */
  key: string;
  body: string;
  format: FeedFormat;
}

const ARCHIVE_PAGE = /(?:^|\/)archive\/(?:feed|atom)-(\d+)\.(?:xml|json)$/;

/** The format of an object by its Content-Type, or undefined when it is not a feed. */
export function feedFormatOf(contentType: string): FeedFormat | undefined {
  if (contentType.startsWith('application/rss+xml')) return 'rss';
  if (contentType.startsWith('application/atom+xml')) return 'atom';
  if (contentType.startsWith('application/feed+json')) return 'json';
  return undefined;
}

/** Every problem of one feed document; an empty list when it is valid. */
export function checkFeed(document: FeedDocument, options: { site: Pick<SiteConfig, 'baseUrl'>; now: Date }): FeedProblem[] {
  return checkOne(document, options).problems;
}

function checkOne(
  document: FeedDocument,
  options: { site: Pick<SiteConfig, 'baseUrl'>; now: Date },
): { problems: FeedProblem[]; ids?: string[] } {
  const page = ARCHIVE_PAGE.exec(document.key)?.[1];
  const ctx: FeedCheckContext = {
    baseUrl: options.site.baseUrl,
    selfUrl: siteUrl(options.site, document.key),
    now: options.now,
    ...(page === undefined ? {} : { archivePage: Number(page) }),
  };
  const problems = new ProblemList();
  let ids: string[] | undefined;
  if (document.format === 'json') {
    ids = checkJsonFeed(document.body, ctx, problems);
  } else {
    const root = parseXml(document.body, problems);
    if (root) ids = document.format === 'rss' ? checkRss(root, ctx, problems) : checkAtom(root, ctx, problems);
  }
  return { problems: problems.items, ...(ids ? { ids } : {}) };
}

export interface FeedFailure {
  key: string;
  problem: FeedProblem;
}

/**
 * Every rule any feed among `objects` (others are skipped) breaks, naming feed, article and
 * rule. The formats of one document (the RSS, Atom and JSON of a scope or archive page) must
 * also hold the same ids in the same order.
 */
export function feedFailures(objects: readonly OutputObject[], options: { site: Pick<SiteConfig, 'baseUrl'>; now: Date }): FeedFailure[] {
  const failures: FeedFailure[] = [];
  const idsByDocument = new Map<string, Array<{ key: string; ids: string[] }>>();
  for (const object of objects) {
    const format = feedFormatOf(object.contentType);
    if (format === undefined) continue;
    const { problems, ids } = checkOne({ key: object.key, body: object.body, format }, options);
    for (const problem of problems) failures.push({ key: object.key, problem });
    if (ids) {
      const document = object.key.replace(/(feed|atom)(-\d+)?\.(xml|json)$/, '*$2');
      (idsByDocument.get(document) ?? idsByDocument.set(document, []).get(document)!).push({ key: object.key, ids });
    }
  }
  for (const formats of idsByDocument.values()) {
    const [first, ...others] = formats;
    for (const other of others) {
      if (other.ids.join('\n') !== first!.ids.join('\n')) {
        failures.push({
          key: other.key,
          problem: {
            rule: 'stable-id',
            path: '/',
            message: `holds other ids than ${first!.key}: every format of a feed must give each article the same id`,
          },
        });
      }
    }
  }
  return failures;
}

/** feedFailures, as one 'invalid' PressrunError naming each feed, article and rule. */
export function assertValidFeeds(objects: readonly OutputObject[], options: { site: Pick<SiteConfig, 'baseUrl'>; now: Date }): void {
  const failures = feedFailures(objects, options);
  if (failures.length > 0) throw feedError(failures);
}

const MAX_LISTED = 50;

export function feedError(failures: FeedFailure[]): PressrunError {
  const problems = failures.slice(0, MAX_LISTED).map(({ key, problem }) => ({
    field: `feeds.${key}.${problem.path}`,
    message: `${problem.slug === undefined ? '' : `article "${problem.slug}": `}breaks ${problem.rule} (${FEED_RULES[problem.rule]}): ${problem.message}`,
  }));
  // Lead with a problem that names an article: that is what the publisher can fix.
  const first = failures.find((f) => f.problem.slug !== undefined) ?? failures[0]!;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more problem${failures.length > 2 ? 's' : ''})` : '';
  const article = first.problem.slug === undefined ? '' : ` in article "${first.problem.slug}"`;
  return new PressrunError(
    'invalid',
    `Publish stopped before writing anything: ${first.key} would break ${first.problem.rule}${article}: ${first.problem.message}${more}`,
    problems,
  );
}
