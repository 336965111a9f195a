/**
 * Renders a digest once: Mustache fills the publisher's template (escaping every value),
 * MJML compiles the result to email HTML. The only module that imports mjml (~300 ms to
 * load): keep it out of the API and send-worker bundles, which need personalize.ts only.
 */
import mjml2html from 'mjml';
import Mustache from 'mustache';
import { placedAt, type Article } from '../article.js';
import { PressrunError } from '../errors.js';
import type { Digest } from './ports.js';
import type { SiteConfig } from '../site.js';
import type { DigestView } from './digest-view.js';
import { digestText, digestView } from './digest-view.js';
import { DIGEST_TOKENS } from './personalize.js';

export { DIGEST_TOKENS, personalizeDigest, compilePersonalizer } from './personalize.js';
export type { DigestTokenName, DigestTokenValues, DigestPersonalizer } from './personalize.js';
export { renderDigestWebVersion } from './web-version.js';

/** Gmail clips HTML past ~102 KB, hiding the unsubscribe link; stay well below. */
export const DEFAULT_HTML_BUDGET_BYTES = 90_000;

export interface RenderDigestInput {
  site: SiteConfig;
  id: string;
  createdAt: string;
  articles: Article[];
  /** 'summary' (the default: cards with summaries) or 'full' (each card the whole article). */
  format?: 'summary' | 'full';
  /** The source of templates/digest.mjml (Mustache inside MJML); the caller reads the file. */
  template: string;
  htmlBudgetBytes?: number;
}

// Escapes "{" and "}" besides HTML's five, so article text can never spell a digest token
// in the HTML (the browser shows &#123; as "{" all the same).
const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '{': '&#123;',
  '}': '&#125;',
};
const escapeValue = (value: unknown) => String(value).replace(/[&<>"'{}]/g, (c) => escapes[c] as string);

const tokenNames = new Set(Object.values(DIGEST_TOKENS).map((token) => token.slice(3, -3)));
/**
 * Values a template may place unescaped: the tokens, and an article's HTML in the 'full'
 * format, which the sanitizer wrote (core/content/sanitize.ts) and whose braces are entities.
 */
const rawNames = new Set([...tokenNames, 'html']);

type Spans = ReturnType<typeof Mustache.parse>;

/** Unescaped values and partials would let text through unescaped or unchecked: refuse them. */
function templateProblems(spans: Spans): string[] {
  const problems: string[] = [];
  for (const span of spans) {
    const [type, name] = span;
    if (type === '&' && !rawNames.has(name)) problems.push(`{{{${name}}}} or {{& ${name}}} would skip HTML escaping; write {{${name}}}`);
    if (type === '>') problems.push(`partials ({{> ${name}}}) are not supported`);
    if ((type === '#' || type === '^') && Array.isArray(span[4])) problems.push(...templateProblems(span[4] as Spans));
  }
  return problems;
}

function checkTemplate(template: string): void {
  let spans: Spans;
  try {
    spans = Mustache.parse(template);
  } catch (cause) {
    throw new PressrunError(
      'invalid',
      'The digest template is not valid Mustache',
      [{ field: 'template', message: (cause as Error).message }],
      { cause },
    );
  }
  const problems = templateProblems(spans);
  if (problems.length > 0) {
    throw new PressrunError(
      'invalid',
      'The digest template breaks a rule',
      problems.map((message) => ({ field: 'template', message })),
    );
  }
}

/**
 * MJML indents its output generously: a quarter of a digest's bytes, counted against Gmail's
 * clipping limit. Leading whitespace on a line is never significant in the HTML MJML writes
 * (a newline remains, so words stay apart); MJML's own minify is unusable on Node 20.
 */
const squeezeIndentation = (html: string) => html.replace(/\n\s+/g, '\n');

async function compile(template: string, view: DigestView): Promise<string> {
  const mjml = Mustache.render(template, view, undefined, { escape: escapeValue });
  try {
    // No minify: on Node 20 it warns on every compile and skips CSS anyway (PITFALLS.md).
    const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false, fonts: {} });
    return squeezeIndentation(result.html);
  } catch (cause) {
    const errors = (cause as { errors?: Array<{ line: number; message: string; tagName: string }> }).errors;
    const problems = errors?.length
      ? errors.map((e) => ({ field: 'template', message: `line ${e.line} of the rendered MJML, <${e.tagName}>: ${e.message}` }))
      : [{ field: 'template', message: (cause as Error).message }];
    throw new PressrunError('invalid', 'The digest template is not valid MJML', problems, { cause });
  }
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** Oldest placed first (StoredArticle.placed), slug breaking ties as the article store does. */
function oldestPlacedFirst<T extends Article>(articles: readonly T[]): T[] {
  return [...articles].sort(
    (a, b) => Date.parse(placedAt(a)) - Date.parse(placedAt(b)) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
}

/**
 * What a digest of the first `taken` articles (oldest placed first) shows: the newest
 * `limit` of them as cards, the older ones listed by title and link; both newest first.
 */
function viewOf(site: SiteConfig, queue: readonly Article[], taken: number, compact: boolean, full = false): DigestView {
  const carried = queue.slice(0, taken).reverse();
  const limit = Math.max(1, site.digestArticleLimit);
  return digestView(site, carried.slice(0, limit), carried.slice(limit), compact, full);
}

/**
 * Where the next digest starts when this one carries the first `taken` of `queue`: the
 * placement of the last one taken, or, when the next one shares that instant, just before it
 * (the next digest knows the ones taken here by their ids and skips them).
 */
function cutoffAfter(queue: readonly Article[], taken: number): string {
  const last = placedAt(queue[taken - 1]!);
  const next = queue[taken];
  if (!next || Date.parse(placedAt(next)) > Date.parse(last)) return last;
  return new Date(Date.parse(last) - 1).toISOString();
}

/**
 * How many articles to try next when `last` was over budget: a proportional guess first (too
 * many: the template's own bytes do not shrink), then the line through the last two tries (a
 * digest grows by about the same bytes per listed article). At least one fewer each time; two
 * or three rounds in practice.
 */
function shorterPrefix(previous: { taken: number; bytes: number } | undefined, last: { taken: number; bytes: number }, budget: number) {
  const perArticle = previous && previous.bytes > last.bytes ? (previous.bytes - last.bytes) / (previous.taken - last.taken) : undefined;
  const guess = perArticle ? last.taken - Math.ceil((last.bytes - budget) / perArticle) : Math.floor((last.taken * budget) / last.bytes);
  return Math.max(1, Math.min(last.taken - 1, guess));
}

/**
 * The view and HTML of the most that fits the budget: every article (in full when asked for),
 * then as summaries, then as a short list, then fewer of them, oldest placed first.
 */
async function fitToBudget(site: SiteConfig, template: string, queue: readonly Article[], full: boolean, htmlBudgetBytes: number) {
  let taken = queue.length;
  // The full articles when asked for; over budget, the summaries, as the digest shows them. Articles
  // whose own HTML is over the budget already go straight to summaries: one compile, not two.
  const fullFits = full && queue.slice(-site.digestArticleLimit).reduce((sum, a) => sum + byteLength(a.html), 0) < htmlBudgetBytes;
  let view = viewOf(site, queue, taken, false, fullFits);
  let html = await compile(template, view);
  let bytes = byteLength(html);
  if (bytes > htmlBudgetBytes && view.full) {
    view = viewOf(site, queue, taken, false);
    html = await compile(template, view);
    bytes = byteLength(html);
  }
  if (bytes > htmlBudgetBytes) {
    view = viewOf(site, queue, taken, true);
    html = await compile(template, view);
    bytes = byteLength(html);
  }
  let previous: { taken: number; bytes: number } | undefined;
  while (bytes > htmlBudgetBytes) {
    if (taken === 1) {
      throw new PressrunError('invalid', `The digest is over its HTML budget of ${htmlBudgetBytes} bytes even with a single article`, [
        { field: 'htmlBudgetBytes', message: `${bytes} bytes for one article as a list entry; raise the budget or trim the template` },
      ]);
    }
    const guess = shorterPrefix(previous, { taken, bytes }, htmlBudgetBytes);
    previous = { taken, bytes };
    taken = guess;
    view = viewOf(site, queue, taken, true);
    html = await compile(template, view);
    bytes = byteLength(html);
  }
  return { view, html, taken };
}

/**
 * Renders the digest once for every recipient; tokens (DIGEST_TOKENS) stand where each
 * recipient's links go. It carries every article it is given that fits, oldest placed first:
 * the newest `site.digestArticleLimit` of them as cards, the rest listed by title and link
 * ("Also published"). MJML is compiled once on the normal path. Only when the HTML is over
 * budget is it compiled again with the cards as a short list of titles; and only if even that
 * is too big does it carry fewer, the oldest placed first, one more compile per attempt: the
 * cutoff stays before the first article it did not carry, so the next digest carries it.
 * Nothing is dropped. A full default digest (20 articles with images and long summaries)
 * measures about 83 KB, so the extra compiles are the rare path.
 */
export async function renderDigest(input: RenderDigestInput): Promise<Digest> {
  const { site, id, createdAt, template, htmlBudgetBytes = DEFAULT_HTML_BUDGET_BYTES } = input;
  if (input.articles.length === 0) {
    throw new PressrunError('invalid', 'A digest needs at least one article', [{ field: 'articles', message: 'must not be empty' }]);
  }
  checkTemplate(template);
  const queue = oldestPlacedFirst(input.articles);
  const { view, html, taken } = await fitToBudget(site, template, queue, input.format === 'full', htmlBudgetBytes);
  if (!html.includes(DIGEST_TOKENS.unsubscribeUrl)) {
    throw new PressrunError('invalid', 'The digest template has no unsubscribe link', [
      { field: 'template', message: `must link to ${DIGEST_TOKENS.unsubscribeUrl}: every digest needs a visible unsubscribe link` },
    ]);
  }
  const carried = queue.slice(0, taken).reverse();
  return {
    id,
    createdAt,
    cutoff: cutoffAfter(queue, taken),
    articleSlugs: carried.map((article) => article.slug),
    articleIds: carried.map((article) => article.id),
    subject: view.subject,
    preheader: view.preheader,
    html,
    text: digestText(view),
    ...(view.full ? { format: 'full' as const } : {}),
  };
}
