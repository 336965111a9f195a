/**
 * Hostile content, generated: at least 10,000 articles of arbitrary Unicode (control characters,
 * lone surrogates, "]]>", "&", "<", right-to-left text, emoji, very long strings) and a corpus of
 * more than 500 XSS vectors go through ingest (articleFromInput) into feeds, pages and digests.
 * Every feed must pass the publish's validation gate; nothing may crash; no script, iframe,
 * object, embed, on* attribute or javascript: URL may come out anywhere.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../functions/core/article.js';
import { articleFromInput } from '../../functions/core/content/article-input.js';
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import { personalizeDigest } from '../../functions/core/digest/personalize.js';
import { PressrunError } from '../../functions/core/errors.js';
import { buildFeeds } from '../../functions/core/feeds/build-feeds.js';
import { checkFeed } from '../../functions/core/feeds/validate/validate-feeds.js';
import { renderArticlePage, renderFeedPage, renderIndexPage, renderTagPage } from '../../functions/core/pages/index.js';
import { EMPTY_SITE_UPDATED } from '../../functions/core/publish/run-publish.js';
import { XML_FORBIDDEN } from '../support/feed-readers.js';
import { makeSite } from '../support/factories.js';
import { digestTemplate } from '../support/templates.js';
import { imagesWithoutAlt, relativeLinks, unsafeMarkup } from '../support/unsafe-markup.js';
import { xssCorpus } from '../support/xss-corpus.js';

const site = makeSite({ title: 'Hostile & <Times>', websubHub: 'https://hub.example.com/' });
const NOW = new Date('2025-06-01T12:00:00Z');
const BATCH = 50;
const BATCHES = 216;
const template = digestTemplate();

const HOSTILE = [
  ']]>',
  ']]>]]>',
  '&',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '<',
  '>',
  '"',
  "'",
  '<![CDATA[',
  '-->',
  '\r\n',
  '\t',
  '\u0000',
  '\u0008',
  '\u000B',
  '\u001F',
  '\u007F',
  '\u0085',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDFFF',
  '\u202E',
  '\u200F',
  '\u2028',
  'مرحبا بالعالم',
  'שלום עולם',
  '🎉',
  '👩‍👩‍👧',
  '𝕏',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐',
  '{{{pressrun:unsubscribe_url}}}',
  '{{title}}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '<img src=x onerror=alert(1)>',
];
const anyUtf16Unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: anyUtf16Unit, maxLength: 8 }) },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
);
const text = (maxPieces: number) => fc.array(piece, { maxLength: maxPieces }).map((pieces) => pieces.join(' '));
/** Now and then a very long body: the same hostile pieces, tens of kilobytes of them. */
const body = fc.oneof(
  { weight: 40, arbitrary: text(30) },
  { weight: 1, arbitrary: text(10).map((t) => `${t} `.repeat(2_000).slice(0, 80_000)) },
);

const articleInput = fc.record(
  {
    title: text(8).map((t) => `Story ${t}`),
    summary: text(15),
    format: fc.constantFrom('html', 'body'),
    content: body,
    tags: fc.subarray(['news', 'world', 'ünïcode', 'rtl', 'emoji', 'city-council']),
    author: text(3).map((t) => `Writer ${t}`),
    image: fc.option(fc.record({ path: text(3), alt: text(4) }), { nil: undefined }),
    canonical: fc.option(text(2), { nil: undefined }),
  },
  { requiredKeys: ['title', 'summary', 'format', 'content', 'tags', 'author'] },
);
type Input = typeof articleInput extends fc.Arbitrary<infer T> ? T : never;

const stats = { offered: 0, accepted: 0, rejected: 0, feeds: 0, pages: 0, digests: 0 };

/** articleFromInput's verdict: an article, or a PressrunError (a refusal, not a crash). */
function ingest(fields: Record<string, unknown>, minute: number): Article | undefined {
  stats.offered++;
  try {
    const article = articleFromInput(
      { ...fields, published: new Date(NOW.getTime() - (minute + 1) * 60_000).toISOString() },
      { site, now: NOW },
    );
    stats.accepted++;
    return article;
  } catch (error) {
    if (!(error instanceof PressrunError)) throw error;
    stats.rejected++;
    return undefined;
  }
}

function toFields(input: Input, slug: string, extraHtml = ''): Record<string, unknown> {
  return {
    title: input.title,
    slug,
    summary: input.summary,
    [input.format]: `${input.content}${extraHtml}<p>end</p>`,
    tags: input.tags,
    author: input.author,
    ...(input.image ? { image: { url: `https://img.example.com/${input.image.path}.jpg?a=1&b=2`, alt: input.image.alt } } : {}),
    ...(input.canonical ? { canonicalUrl: `https://origin.example.org/${input.canonical}` } : {}),
  };
}

/** Every check on what one batch of articles becomes; returns what went wrong, for fast-check to shrink. */
async function checkOutputs(articles: Article[]): Promise<void> {
  for (const tag of [undefined, 'news']) {
    const scoped = tag === undefined ? articles : articles.filter((a) => a.tags.includes(tag));
    const feeds = buildFeeds({ site, articles: scoped, emptyUpdated: EMPTY_SITE_UPDATED, ...(tag ? { scope: { tag } } : {}) });
    const base = tag === undefined ? '' : `tags/${tag}/`;
    for (const [format, key] of [
      ['rss', 'feed.xml'],
      ['atom', 'atom.xml'],
      ['json', 'feed.json'],
    ] as const) {
      expect(checkFeed({ key: `${base}${key}`, body: feeds[format], format }, { site, now: NOW }), `${base}${key}`).toEqual([]);
      expect(feeds[format]).not.toMatch(XML_FORBIDDEN);
      stats.feeds++;
    }
    for (const item of JSON.parse(feeds.json).items as Array<{ content_html: string }>) expect(unsafeMarkup(item.content_html)).toEqual([]);
  }
  const pages = [
    ...articles.map((article) => renderArticlePage(site, article)),
    renderIndexPage(site, articles, ['news']),
    renderTagPage(site, 'news', articles),
    renderFeedPage(site, undefined, articles),
  ];
  for (const page of pages) {
    expect(unsafeMarkup(page)).toEqual([]);
    expect(page).not.toMatch(XML_FORBIDDEN);
    stats.pages++;
  }
}

async function checkDigest(articles: Article[]): Promise<void> {
  if (articles.length === 0) return;
  const digest = await renderDigest({ site, id: 'hostile', createdAt: NOW.toISOString(), articles, template });
  const { html, text } = personalizeDigest(digest, {
    unsubscribeUrl: 'https://news.example.com/api/unsubscribe?t=abc',
    webVersionUrl: 'https://news.example.com/digests/hostile/',
    preferencesUrl: 'https://news.example.com/api/preferences?t=def',
  });
  expect(unsafeMarkup(html)).toEqual([]);
  expect(relativeLinks(html)).toEqual([]);
  expect(imagesWithoutAlt(html)).toEqual([]);
  expect(Buffer.byteLength(html)).toBeLessThan(102 * 1024);
  expect(text).not.toMatch(XML_FORBIDDEN);
  stats.digests++;
}

describe('hostile content through ingest, feeds, pages and the digest', () => {
  it(`keeps every feed valid and every output safe for ${BATCHES * BATCH} generated articles`, async () => {
    let batchNumber = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(articleInput, { minLength: BATCH, maxLength: BATCH }), async (inputs) => {
        const batch = batchNumber++;
        const articles = inputs
          .map((input, i) => ingest(toFields(input, `hostile-${batch}-${i}`), i))
          .filter((a): a is Article => a !== undefined);
        await checkOutputs(articles);
        // MJML compiles take ~50 ms: a digest for every tenth batch covers the template's escaping.
        if (batch % 10 === 0) await checkDigest(articles.slice(0, 10));
      }),
      { numRuns: BATCHES, seed: 20250601, endOnFailure: true },
    );

    expect(stats.accepted).toBeGreaterThanOrEqual(10_000);
    console.log(
      `hostile content: ${stats.offered} offered, ${stats.accepted} accepted, ${stats.rejected} refused; ${stats.feeds} feeds, ${stats.pages} pages, ${stats.digests} digests checked`,
    );
  }, 240_000);

  it('removes every vector of a corpus of more than 500 XSS vectors, given as HTML and as Markdown', async () => {
    const corpus = xssCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    const neutral: Input = {
      title: 'Vector',
      summary: 'A hostile article',
      format: 'html',
      content: '<p>start</p>',
      tags: ['news'],
      author: 'Writer',
    };
    let survivors = 0;
    for (const format of ['html', 'body'] as const) {
      for (let start = 0; start < corpus.length; start += BATCH) {
        const articles = corpus
          .slice(start, start + BATCH)
          .map((vector, i) =>
            ingest(
              { ...toFields({ ...neutral, format }, `xss-${format}-${start + i}`, vector), title: `Vector ${vector}`, summary: vector },
              i,
            ),
          )
          .filter((a): a is Article => a !== undefined);
        survivors += articles.length;
        await checkOutputs(articles);
        if (start % (BATCH * 4) === 0) await checkDigest(articles.slice(0, 10));
      }
    }
    expect(survivors).toBeGreaterThan(corpus.length);
  }, 240_000);
});
