/**
 * Renders a digest once: Mustache fills the publisher's template (escaping every value),
 * MJML compiles the result to email HTML. The only module that imports mjml (~300 ms to
 * load): keep it out of the API and send-worker bundles, which need personalize.ts only.
 */
import mjml2html from 'mjml';
import Mustache from 'mustache';
import { later, placedAt, type Article } from '../article.js';
import { PressrunError } from '../errors.js';
import type { Digest } from './ports.js';
import { newestFirst } from '../pages/order.js';
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

type Spans = ReturnType<typeof Mustache.parse>;

/** Unescaped values and partials would let text through unescaped or unchecked: refuse them. */
function templateProblems(spans: Spans): string[] {
  const problems: string[] = [];
  for (const span of spans) {
    const [type, name] = span;
    if (type === '&' && !tokenNames.has(name)) problems.push(`{{{${name}}}} or {{& ${name}}} would skip HTML escaping; write {{${name}}}`);
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

/**
 * Renders the digest once for every recipient; tokens (DIGEST_TOKENS) stand where each
 * recipient's links go. MJML is compiled once on the normal path. Only when the HTML is
 * over budget is it compiled again, as a short list of titles without images; and only if
 * even that is too big are the oldest articles left out (with a link to the site), one more
 * compile per attempt. A full default digest (20 articles with images and long summaries)
 * measures about 83 KB, so the extra compiles are the rare path.
 */
export async function renderDigest(input: RenderDigestInput): Promise<Digest> {
  const { site, id, createdAt, template, htmlBudgetBytes = DEFAULT_HTML_BUDGET_BYTES } = input;
  if (input.articles.length === 0) {
    throw new PressrunError('invalid', 'A digest needs at least one article', [{ field: 'articles', message: 'must not be empty' }]);
  }
  checkTemplate(template);
  const articles = newestFirst(input.articles);
  const total = articles.length;

  let view = digestView(site, articles, total, false);
  let html = await compile(template, view);
  let bytes = byteLength(html);
  if (bytes > htmlBudgetBytes) {
    view = digestView(site, articles, total, true);
    html = await compile(template, view);
    bytes = byteLength(html);
  }
  for (let shown = total; bytes > htmlBudgetBytes;) {
    if (shown === 1) {
      throw new PressrunError('invalid', `The digest is over its HTML budget of ${htmlBudgetBytes} bytes even with a single article`, [
        { field: 'htmlBudgetBytes', message: `${bytes} bytes for one article as a list entry; raise the budget or trim the template` },
      ]);
    }
    // Proportional guess, at least one fewer each time; a few rounds at most in practice.
    shown = Math.max(1, Math.min(shown - 1, Math.floor((shown * htmlBudgetBytes) / bytes)));
    view = digestView(site, articles.slice(0, shown), total, true);
    html = await compile(template, view);
    bytes = byteLength(html);
  }

  if (!html.includes(DIGEST_TOKENS.unsubscribeUrl)) {
    throw new PressrunError('invalid', 'The digest template has no unsubscribe link', [
      { field: 'template', message: `must link to ${DIGEST_TOKENS.unsubscribeUrl}: every digest needs a visible unsubscribe link` },
    ]);
  }
  const shownArticles = articles.slice(0, view.articles.length);
  return {
    id,
    createdAt,
    // The latest placement among them: the next digest holds what was placed after it, back-dated or not.
    cutoff: articles.map(placedAt).reduce(later),
    articleSlugs: shownArticles.map((article) => article.slug),
    subject: view.subject,
    preheader: view.preheader,
    html,
    text: digestText(view),
  };
}
