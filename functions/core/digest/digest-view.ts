/**
 * What a digest says, apart from how it looks: the values the template is rendered with,
 * and the plain-text part built from the same values so both parts always agree.
 */
import type { Article } from '../article.js';
import { htmlToPlainText } from '../content/plain-text.js';
import { formatDate } from '../pages/format-date.js';
import { articleUrl, homeUrl } from '../urls.js';
import type { SiteConfig } from '../site.js';
import { DIGEST_TOKENS, neutralizeTokens } from './personalize.js';

/** Long summaries make a digest hard to skim (and heavy): cards show at most this many characters. */
export const CARD_SUMMARY_LIMIT = 300;
/** Mail clients show roughly this much of a preheader. */
export const PREHEADER_LIMIT = 150;

export interface ArticleView {
  title: string;
  link: string;
  date: string;
  summary: string;
  image?: { src: string; alt: string };
  /** In the 'full' format: the article itself, as the sanitizer left it (the template places it unescaped), and as text. */
  html?: string;
  text?: string;
}

/** An article the digest lists by title and link only. */
export interface LinkView {
  title: string;
  link: string;
}

/** The template's values. Keys of DIGEST_TOKENS' names render each token verbatim. */
export interface DigestView {
  lang: string;
  subject: string;
  preheader: string;
  heading: string;
  siteTitle: string;
  siteUrl: string;
  siteHost: string;
  compact: boolean;
  /** The 'full' format: each card carries the whole article (ArticleView.html). */
  full: boolean;
  /** The newest articles it carries (at most the site's digestArticleLimit), newest placed first: as cards, or a short list when compact. */
  articles: ArticleView[];
  /** The older articles it carries beyond the limit, newest placed first, by title and link. */
  more?: { count: number; items: LinkView[] };
  'pressrun:unsubscribe_url': string;
  'pressrun:web_version_url': string;
  'pressrun:preferences_url': string;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** At most `limit` characters, cut at a word boundary, with an ellipsis when cut. */
export function shorten(text: string, limit: number): string {
  const flat = oneLine(text);
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

function preheader(articles: readonly Article[]): string {
  let text = '';
  for (const article of articles) {
    if (text.length >= PREHEADER_LIMIT) break;
    const summary = oneLine(article.summary);
    if (summary) text += (text ? ' · ' : '') + summary;
  }
  return shorten(text, PREHEADER_LIMIT);
}

/** Braces spelled as entities: article HTML can never spell a digest token (the browser shows them all the same). */
const braceless = (html: string) => html.replace(/[{}]/g, (c) => (c === '{' ? '&#123;' : '&#125;'));

function articleView(site: SiteConfig, article: Article, full: boolean): ArticleView {
  const view: ArticleView = {
    title: oneLine(article.title),
    link: articleUrl(site, article.slug),
    date: formatDate(article.published, site.language),
    summary: shorten(article.summary, CARD_SUMMARY_LIMIT),
  };
  // The image links to the article: with no alt of its own, the link would have no name for a
  // screen reader, so it is named after the article.
  if (article.image) view.image = { src: article.image.url, alt: oneLine(article.image.alt) || view.title };
  if (full) {
    view.html = braceless(article.html);
    view.text = htmlToPlainText(article.html);
  }
  return view;
}

/**
 * The template's values for the articles a digest carries: `cards` (newest placed first, at most
 * the site's digestArticleLimit) and `more`, the older ones it lists by title and link.
 * `compact` asks the template for its short list instead of cards.
 */
export function digestView(
  site: SiteConfig,
  cards: readonly Article[],
  more: readonly Article[],
  compact: boolean,
  full = false,
): DigestView {
  const total = cards.length + more.length;
  const view: DigestView = {
    lang: site.language,
    subject: oneLine(`${site.title}: ${total === 1 && cards[0] ? cards[0].title : `${total} new articles`}`),
    preheader: preheader(cards),
    heading: total === 1 ? '1 new article' : `${total} new articles`,
    siteTitle: site.title,
    siteUrl: homeUrl(site),
    siteHost: new URL(site.baseUrl).host,
    compact,
    full: full && !compact,
    articles: cards.map((article) => articleView(site, article, full && !compact)),
    'pressrun:unsubscribe_url': DIGEST_TOKENS.unsubscribeUrl,
    'pressrun:web_version_url': DIGEST_TOKENS.webVersionUrl,
    'pressrun:preferences_url': DIGEST_TOKENS.preferencesUrl,
  };
  if (more.length > 0) {
    view.more = {
      count: more.length,
      items: more.map((article) => ({ title: oneLine(article.title), link: articleUrl(site, article.slug) })),
    };
  }
  return view;
}

/** Plain-text mail reads best in lines of about this many characters (RFC 3676 suggests 66–78). */
export const TEXT_WIDTH = 72;

/** Prose wrapped at word boundaries to TEXT_WIDTH; a word longer than a line (a URL) keeps a line of its own. */
export function wrapText(text: string, width = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The plain-text part: readable on its own, with the same articles and links as the HTML. */
export function digestText(view: DigestView): string {
  const safe = (text: string) => neutralizeTokens(text);
  const lines = [safe(view.siteTitle), view.heading, ''];
  for (const article of view.articles) {
    // A title stays one line, as a heading; the prose under it is wrapped.
    lines.push(oneLine(safe(article.title)), article.date);
    if (article.text)
      lines.push('', ...article.text.split('\n').flatMap((paragraph) => (paragraph.trim() ? wrapText(safe(paragraph)) : [''])), '');
    else if (article.summary) lines.push(...wrapText(safe(article.summary)));
    lines.push(article.link, '');
  }
  if (view.more) {
    lines.push(`Also published (${view.more.count}):`, '');
    for (const item of view.more.items) lines.push(oneLine(safe(item.title)), item.link, '');
  }
  lines.push(
    '--',
    ...wrapText(`You receive this because you subscribed to ${safe(view.siteTitle)} at ${view.siteUrl}`),
    `View in your browser: ${DIGEST_TOKENS.webVersionUrl}`,
    `Choose what you receive: ${DIGEST_TOKENS.preferencesUrl}`,
    `Unsubscribe: ${DIGEST_TOKENS.unsubscribeUrl}`,
    '',
  );
  return lines.join('\n');
}
