import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import { DIGEST_TOKENS, renderDigest } from '../../../functions/core/digest/render-digest.js';
import type { RenderDigestInput } from '../../../functions/core/digest/render-digest.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { HOSTILE_TITLE, attr, byClass, elements, isAbsoluteHttpUrl, parseHtml, text, urlAttributes } from '../pages/html.js';
import { digestTemplate } from '../../support/templates.js';
import { longArticles } from './digest-fixtures.js';

const tokens = new Set<string>(Object.values(DIGEST_TOKENS));
const bytes = (html: string) => new TextEncoder().encode(html).length;

const render = (overrides: Partial<RenderDigestInput> = {}) =>
  renderDigest({
    site: makeSite(),
    id: '2025-04-22',
    createdAt: '2025-04-22T08:00:00.000Z',
    articles: [makeArticle(), makeArticle()],
    template: digestTemplate(),
    ...overrides,
  });

async function rejection(promise: Promise<unknown>): Promise<PressrunError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PressrunError);
  return error as PressrunError;
}

describe('renderDigest', () => {
  it('shows one card per article, newest first, each linking to the article page', async () => {
    const articles = [
      makeArticle({ slug: 'middle', published: '2025-04-02T00:00:00.000Z' }),
      makeArticle({ slug: 'newest', published: '2025-04-03T00:00:00.000Z' }),
      makeArticle({ slug: 'oldest', published: '2025-04-01T00:00:00.000Z' }),
    ];
    const digest = await render({ articles });
    const cards = byClass(parseHtml(digest.html), 'pr-article');
    expect(cards).toHaveLength(3);
    const cardLinks = cards.map((card) => [...new Set(elements(card, 'a').map((a) => attr(a, 'href')))]);
    expect(cardLinks).toEqual([
      ['https://news.example.com/articles/newest/'],
      ['https://news.example.com/articles/middle/'],
      ['https://news.example.com/articles/oldest/'],
    ]);
    expect(digest.articleSlugs).toEqual(['newest', 'middle', 'oldest']);
    expect(digest.cutoff).toBe('2025-04-03T00:00:00.000Z');
  });

  it('gives each card its title, date, summary and a Read more button', async () => {
    const article = makeArticle({ title: 'Pressrun ships', summary: 'It finally does.', published: '2025-04-22T09:30:00.000Z' });
    const card = byClass(parseHtml((await render({ articles: [article] })).html), 'pr-article')[0]!;
    const cardText = text(card);
    for (const expected of ['Pressrun ships', 'April 22, 2025', 'It finally does.', 'Read more']) expect(cardText).toContain(expected);
  });

  it('shows images with their alt text, and none for an article without one', async () => {
    const withImage = makeArticle({ image: { url: 'https://cdn.example.com/a.jpg', alt: 'A lighthouse' } });
    const withoutImage = makeArticle({ image: undefined, published: '2020-01-01T00:00:00.000Z' });
    const cards = byClass(parseHtml((await render({ articles: [withImage, withoutImage] })).html), 'pr-article');
    expect(elements(cards[0]!, 'img').map((img) => [attr(img, 'src'), attr(img, 'alt')])).toEqual([
      ['https://cdn.example.com/a.jpg', 'A lighthouse'],
    ]);
    expect(elements(cards[1]!, 'img')).toEqual([]);
  });

  it('gives every image an alt attribute', async () => {
    const images = elements(parseHtml((await render({ articles: longArticles(5) })).html), 'img');
    expect(images.length).toBe(5);
    for (const img of images) expect(attr(img, 'alt')).toBeTruthy();
  });

  it('links only to absolute URLs or to per-recipient tokens', async () => {
    const urls = urlAttributes(parseHtml((await render({ site: makeSite({ baseUrl: 'https://example.org/news/' }) })).html));
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter(({ value }) => !isAbsoluteHttpUrl(value) && !tokens.has(value))).toEqual([]);
  });

  it('has a visible unsubscribe link and a view-in-browser link, both tokens', async () => {
    const anchors = elements(parseHtml((await render()).html), 'a');
    const byHref = (href: string) => anchors.filter((a) => attr(a, 'href') === href).map(text);
    expect(byHref(DIGEST_TOKENS.unsubscribeUrl)).toEqual(['Unsubscribe']);
    expect(byHref(DIGEST_TOKENS.webVersionUrl)).toEqual(['View in browser']);
  });

  it('has a header with the site title and a footer naming the site', async () => {
    const doc = parseHtml((await render({ site: makeSite({ title: 'The Example Times' }) })).html);
    expect(text(byClass(doc, 'pr-header')[0]!)).toContain('The Example Times');
    expect(text(byClass(doc, 'pr-footer')[0]!)).toContain('The Example Times');
  });

  it('starts with a preheader made of the first summaries', async () => {
    const digest = await render({
      articles: [
        makeArticle({ summary: 'First things first.' }),
        makeArticle({ summary: 'Then the rest.', published: '2020-01-01T00:00:00.000Z' }),
      ],
    });
    expect(digest.preheader).toBe('First things first. · Then the rest.');
    const body = elements(parseHtml(digest.html), 'body')[0]!;
    const hidden = elements(body, 'div').find((div) => (attr(div, 'style') ?? '').includes('display:none'))!;
    expect(text(hidden)).toBe(digest.preheader);
  });

  it('keeps the preheader short', async () => {
    expect((await render({ articles: longArticles(3) })).preheader.length).toBeLessThanOrEqual(150);
  });

  it.each([
    ['names the count for several articles', 3, 'Example News: 3 new articles'],
    ['names the article when there is only one', 1, 'Example News: The only article'],
  ])('has a subject that %s', async (_case, count, expected) => {
    const articles = Array.from({ length: count }, () => makeArticle({ title: 'The only article' }));
    const digest = await render({ articles });
    expect(digest.subject).toBe(expected);
    expect(text(elements(parseHtml(digest.html), 'title')[0]!)).toBe(expected);
  });

  it('escapes hostile article text exactly once', async () => {
    const hostile = makeArticle({
      title: HOSTILE_TITLE,
      summary: HOSTILE_TITLE,
      image: { url: 'https://cdn.example.com/a.jpg', alt: HOSTILE_TITLE },
    });
    const digest = await render({ articles: [hostile] });
    expect(digest.html).not.toContain('<script>');
    const doc = parseHtml(digest.html);
    expect(elements(doc, 'script')).toEqual([]);
    const card = byClass(doc, 'pr-article')[0]!;
    // Parsing decodes entities once: the original string back means escaped once, not twice.
    expect(elements(card, 'a').map(text)).toContain(HOSTILE_TITLE);
    expect(text(card)).toContain(HOSTILE_TITLE);
    expect(attr(elements(card, 'img')[0]!, 'alt')).toBe(HOSTILE_TITLE);
    expect(digest.text).toContain(HOSTILE_TITLE);
  });

  it('cannot be made to spell a token by article text', async () => {
    const sneaky = makeArticle({ title: `Click ${DIGEST_TOKENS.unsubscribeUrl}`, summary: DIGEST_TOKENS.webVersionUrl });
    const digest = await render({ articles: [sneaky] });
    expect(digest.html.split(DIGEST_TOKENS.unsubscribeUrl)).toHaveLength(2);
    expect(digest.html.split(DIGEST_TOKENS.webVersionUrl)).toHaveLength(2);
    expect(digest.text.split(DIGEST_TOKENS.unsubscribeUrl)).toHaveLength(2);
    expect(digest.text.split(DIGEST_TOKENS.webVersionUrl)).toHaveLength(2);
    expect(text(byClass(parseHtml(digest.html), 'pr-article')[0]!)).toContain(`Click ${DIGEST_TOKENS.unsubscribeUrl}`);
  });

  it('has a plain-text part that reads on its own', async () => {
    const article = makeArticle({
      slug: 'ships',
      title: 'Pressrun ships',
      summary: 'It finally does.',
      published: '2025-04-22T09:30:00.000Z',
    });
    const { text: plain } = await render({ articles: [article] });
    const lines = plain.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Example News', '1 new article']);
    const at = lines.indexOf('Pressrun ships');
    expect(lines.slice(at, at + 4)).toEqual([
      'Pressrun ships',
      'April 22, 2025',
      'It finally does.',
      'https://news.example.com/articles/ships/',
    ]);
    expect(lines).toContain(`View in your browser: ${DIGEST_TOKENS.webVersionUrl}`);
    expect(lines).toContain(`Unsubscribe: ${DIGEST_TOKENS.unsubscribeUrl}`);
    expect(plain).not.toMatch(/<[a-z]/i);
  });

  it('supports dark mode and declares it', async () => {
    const doc = parseHtml((await render()).html);
    expect(elements(doc, 'style').map(text).join('\n')).toContain('@media (prefers-color-scheme: dark)');
    expect(
      elements(doc, 'meta')
        .filter((m) => attr(m, 'name') === 'color-scheme')
        .map((m) => attr(m, 'content')),
    ).toEqual(['light dark']);
  });

  it('is written in the site language', async () => {
    expect(attr(elements(parseHtml((await render({ site: makeSite({ language: 'fr' }) })).html), 'html')[0]!, 'lang')).toBe('fr');
  });

  it('gives the same digest for the same input', async () => {
    const articles = longArticles(4);
    const [a, b] = await Promise.all([render({ articles }), render({ articles: structuredClone(articles) })]);
    expect(b).toEqual(a);
  });

  describe('against Gmail’s ~102 KB clipping', () => {
    it('keeps 10 articles with images and long summaries as full cards under the limit', async () => {
      const digest = await render({ articles: longArticles(10) });
      expect(bytes(digest.html)).toBeLessThan(90_000);
      expect(elements(parseHtml(digest.html), 'img')).toHaveLength(10);
      expect(byClass(parseHtml(digest.html), 'pr-article')).toHaveLength(10);
    });

    it('shrinks 200 long articles to a list of linked titles that fits: the newest 20, then the rest under "Also published"', async () => {
      const digest = await render({ articles: longArticles(200) });
      expect(bytes(digest.html)).toBeLessThan(90_000);
      const doc = parseHtml(digest.html);
      expect(elements(doc, 'img')).toEqual([]);
      const items = byClass(doc, 'pr-article');
      expect(items).toHaveLength(20);
      expect(items.every((item) => item.name === 'li')).toBe(true);
      expect(attr(elements(items[0]!, 'a')[0]!, 'href')).toBe('https://news.example.com/articles/a-fairly-long-article-slug-number-199/');
      const listed = byClass(doc, 'pr-more-item');
      expect(listed).toHaveLength(180);
      expect(attr(elements(listed[0]!, 'a')[0]!, 'href')).toBe('https://news.example.com/articles/a-fairly-long-article-slug-number-179/');
      expect(digest.articleSlugs).toHaveLength(200);
      expect(elements(doc, 'a').some((a) => attr(a, 'href') === DIGEST_TOKENS.unsubscribeUrl)).toBe(true);
    });

    it('carries the oldest articles that fit when even the list is too big, and leaves its cutoff before the first it did not carry', async () => {
      const articles = longArticles(60);
      const digest = await render({ articles, htmlBudgetBytes: 20_000 });
      expect(bytes(digest.html)).toBeLessThanOrEqual(20_000);
      const carried = digest.articleSlugs.length;
      expect(carried).toBeLessThan(60);
      expect(carried).toBeGreaterThan(20);
      expect(digest.articleSlugs).toEqual(
        articles
          .slice(0, carried)
          .reverse()
          .map((a) => a.slug),
      );
      expect(digest.articleIds).toEqual(
        articles
          .slice(0, carried)
          .reverse()
          .map((a) => a.id),
      );
      expect(digest.cutoff).toBe(articles[carried - 1]!.published);
      expect(text(elements(parseHtml(digest.html), 'body')[0]!)).toContain(`Also published (${carried - 20})`);
      expect(digest.text).toContain(`Also published (${carried - 20}):`);
    });
  });

  describe('beyond the site’s article limit', () => {
    it('shows the newest as cards and lists the older ones by title and link, in the HTML and the text part', async () => {
      const articles = longArticles(25).map((a) => ({ ...a, summary: 'Short.' }));
      const digest = await render({ articles });
      const doc = parseHtml(digest.html);
      expect(byClass(doc, 'pr-article')).toHaveLength(20);
      expect(elements(doc, 'img')).toHaveLength(20);
      const listed = byClass(doc, 'pr-more-item').map((item) => attr(elements(item, 'a')[0]!, 'href'));
      expect(listed).toEqual([4, 3, 2, 1, 0].map((i) => `https://news.example.com/articles/a-fairly-long-article-slug-number-${i}/`));
      expect(digest.articleSlugs).toHaveLength(25);
      expect(digest.cutoff).toBe(articles[24]!.published);
      expect(digest.subject).toBe('Example News: 25 new articles');
      const lines = digest.text.split('\n');
      const from = lines.indexOf('Also published (5):');
      expect(from).toBeGreaterThan(0);
      expect(lines.slice(from + 2, from + 5)).toEqual([
        'A fairly long article title that keeps going for a while, number 4',
        'https://news.example.com/articles/a-fairly-long-article-slug-number-4/',
        '',
      ]);
    });

    it('orders by placement, not by date: a back-dated article placed last is among the newest', async () => {
      const articles = longArticles(21);
      const backDated = { ...articles[0]!, placed: '2025-03-01T00:00:00.000Z' };
      const digest = await render({ articles: [backDated, ...articles.slice(1)] });
      expect(digest.articleSlugs[0]).toBe(backDated.slug);
      expect(digest.articleSlugs.at(-1)).toBe(articles[1]!.slug);
      expect(digest.cutoff).toBe('2025-03-01T00:00:00.000Z');
    });

    it('never lets its cutoff pass an article it did not carry that was placed at the same instant', async () => {
      const placed = '2025-03-01T12:00:00.000Z';
      const articles = longArticles(60).map((a) => ({ ...a, placed }));
      const digest = await render({ articles, htmlBudgetBytes: 20_000 });
      expect(digest.articleSlugs.length).toBeLessThan(60);
      expect(digest.cutoff).toBe('2025-03-01T11:59:59.999Z');
    });
  });

  describe('refuses', () => {
    it('an empty digest, naming the articles', async () => {
      expect((await rejection(render({ articles: [] }))).problems.map((p) => p.field)).toEqual(['articles']);
    });

    it.each([
      ['a value written unescaped with triple braces', (t: string) => t.replace('{{title}}', '{{{title}}}')],
      ['a value written unescaped with an ampersand', (t: string) => t.replace('{{summary}}', '{{& summary}}')],
      ['a partial', (t: string) => t.replace('{{summary}}', '{{> card}}')],
      ['a template without the unsubscribe link', (t: string) => t.replace('{{{pressrun:unsubscribe_url}}}', 'https://news.example.com/')],
      ['a template that is not valid MJML', (t: string) => t.replace('<mj-column>', '<mj-column><mj-section></mj-section>')],
      ['a template that is not valid Mustache', (t: string) => t.replace('{{/articles}}', '')],
    ])('%s, naming the template', async (_case, edit) => {
      const error = await rejection(render({ template: edit(digestTemplate()) }));
      expect(error.kind).toBe('invalid');
      expect(error.problems.length).toBeGreaterThan(0);
      expect(error.problems.every((p) => p.field === 'template')).toBe(true);
    });
  });
});
