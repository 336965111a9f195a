/** The rules schemas cannot express, as small pure functions shared by the format checks. */
import { implausibleDate } from '../../content/dates.js';
import type { ProblemList } from './problems.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** RFC 822 as RSS readers accept it: weekday, day, month, four-digit year, time, and GMT or +0000. */
const RFC822 =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|\+0000)$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

export interface DateContext {
  now: Date;
  problems: ProblemList;
  slug?: string;
}

export function checkRfc822(value: unknown, path: string, ctx: DateContext): void {
  const text = typeof value === 'string' ? value : '';
  const match = RFC822.exec(text);
  if (!match)
    return ctx.problems.add('rfc822-date', path, `"${text}" is not an RFC 822 date such as "Tue, 22 Apr 2025 10:00:00 GMT"`, ctx.slug);
  const [, day, date, month, year, h, m, s] = match;
  const when = new Date(Date.UTC(Number(year), MONTHS.indexOf(month!), Number(date), Number(h), Number(m), Number(s)));
  if (when.getUTCDate() !== Number(date) || Number(h) > 23 || Number(m) > 59 || Number(s) > 59) {
    return ctx.problems.add('rfc822-date', path, `"${text}" names a day or time that does not exist`, ctx.slug);
  }
  if (DAYS[when.getUTCDay()] !== day)
    return ctx.problems.add('rfc822-date', path, `"${text}" has the wrong weekday (${DAYS[when.getUTCDay()]})`, ctx.slug);
  checkPlausible(when, text, path, ctx);
}

export function checkRfc3339(value: unknown, path: string, ctx: DateContext): void {
  const text = typeof value === 'string' ? value : '';
  const match = RFC3339.exec(text);
  const when = new Date(text);
  if (!match || Number.isNaN(when.getTime()))
    return ctx.problems.add('rfc3339-date', path, `"${text}" is not an RFC 3339 timestamp`, ctx.slug);
  const [, year, month, date] = match;
  const day = new Date(Date.UTC(Number(year), Number(month) - 1, Number(date)));
  if (day.getUTCDate() !== Number(date) || day.getUTCMonth() !== Number(month) - 1) {
    return ctx.problems.add('rfc3339-date', path, `"${text}" names a day that does not exist`, ctx.slug);
  }
  checkPlausible(when, text, path, ctx);
}

function checkPlausible(when: Date, text: string, path: string, ctx: DateContext): void {
  const implausible = implausibleDate(when, ctx.now);
  if (implausible === 'too-early') ctx.problems.add('plausible-date', path, `"${text}" is before 1995`, ctx.slug);
  else if (implausible === 'too-late')
    ctx.problems.add('plausible-date', path, `"${text}" is after the publish (${ctx.now.toISOString()})`, ctx.slug);
}

export function isAbsoluteHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
}

export function checkAbsoluteUrl(value: unknown, path: string, problems: ProblemList, slug?: string): void {
  if (!isAbsoluteHttpUrl(value)) problems.add('absolute-url', path, `"${String(value ?? '')}" is not an absolute http(s) URL`, slug);
}

/** An absolute URI as an id: a scheme and something after it, e.g. urn:uuid:… or https://… */
export function isAbsoluteUri(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value) && URL.canParse(value);
}

// In sanitized HTML every "<" of text is escaped, so "<" and a letter start a tag, and a ">" in an
// attribute value is escaped too: a tag runs to the next ">".
const START_TAG = /<[a-z][a-z0-9-]*(\s[^>]*)?>/gi;
const URL_ATTRIBUTE = /\s(href|src|srcset|cite|poster|action|formaction|background)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
const decodeAttribute = (value: string) =>
  value.replace(/&(#x[0-9a-f]+|#\d+|[a-z0-9]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif)[;,]/i;

/** Every URL an article's HTML points to must work without a base: absolute http(s) (mailto for links, raster data: for images). */
export function checkContentUrls(html: unknown, path: string, problems: ProblemList, slug?: string): void {
  if (typeof html !== 'string' || !html.includes('=')) return;
  for (const tag of html.matchAll(START_TAG)) {
    if (tag[1] !== undefined) checkTagUrls(tag[1], path, problems, slug);
  }
}

function checkTagUrls(attributes: string, path: string, problems: ProblemList, slug?: string): void {
  for (const match of attributes.matchAll(URL_ATTRIBUTE)) {
    const name = match[1]!.toLowerCase();
    const value = decodeAttribute(match[3] ?? match[4] ?? match[5] ?? '').trim();
    const urls = name === 'srcset' ? value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '') : [value];
    for (const url of urls) {
      const ok = isAbsoluteHttpUrl(url) || (name === 'href' && /^mailto:/i.test(url)) || (name === 'src' && DATA_IMAGE.test(url));
      if (!ok)
        problems.add(
          'absolute-url',
          `${path}@${name}`,
          `content links to "${String(url).slice(0, 200)}", which is not an absolute http(s) URL`,
          slug,
        );
    }
  }
}

/** The slug of an article page URL on this site, to name the article a problem concerns. */
export function slugOfArticleUrl(baseUrl: string, url: unknown): string | undefined {
  if (typeof url !== 'string' || !url.startsWith(baseUrl)) return undefined;
  return /^articles\/([^/]+)\/$/.exec(url.slice(baseUrl.length))?.[1];
}
