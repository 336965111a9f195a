import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { articleIdFor } from '../../../functions/core/content/article-id.js';
import { articleFromInput } from '../../../functions/core/content/article-input.js';
import { ArticleInputSchema } from '../../../functions/core/content/article-input-schema.js';
import { PressrunError } from '../../../functions/core/errors.js';
import { FORBIDDEN, hasXmlForbidden, makeContext, makeInput, NOW, stringsIn } from './content-factories.js';

function errorOf(fn: () => unknown): PressrunError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PressrunError) return error;
    throw error;
  }
  throw new Error('expected a PressrunError');
}

const fieldsOf = (error: PressrunError) => error.problems.map((p) => p.field).sort();

describe('articleFromInput, for valid input', () => {
  it('fills every field a minimal input leaves out', () => {
    const article = articleFromInput(makeInput(), makeContext());
    expect(article).toEqual({
      id: articleIdFor('harbour-reopens-after-storm'),
      slug: 'harbour-reopens-after-storm',
      title: 'Harbour reopens after storm',
      summary: 'The harbour reopened on Tuesday after a week of repairs.',
      html: '<p>The harbour reopened on <strong>Tuesday</strong> after a week of repairs.</p>\n<p>Ferries run on the normal timetable.</p>\n',
      text: 'The harbour reopened on Tuesday after a week of repairs.\n\nFerries run on the normal timetable.',
      published: NOW,
      updated: NOW,
      authors: [{ name: 'The Newsroom', email: 'desk@example.com', url: 'https://news.example.com/about/' }],
      tags: [],
      draft: false,
    });
  });

  it('keeps every field a full input gives', () => {
    const article = articleFromInput(
      makeInput({
        slug: 'harbour',
        id: 'urn:uuid:0b0c0d0e-0000-5000-8000-000000000001',
        summary: 'Ferries are back.',
        published: '2025-04-22T09:30:00+02:00',
        updated: '2025-04-23T10:00:00Z',
        authors: [{ name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://example.com/ada' }, { name: 'Grace Hopper' }],
        tags: ['Ports', 'Weather'],
        image: { url: 'https://example.com/harbour.webp', alt: 'The harbour at dawn', type: 'image/webp', length: 1234 },
        canonicalUrl: 'https://origin.example/harbour',
        draft: true,
      }),
      makeContext(),
    );
    expect(article).toMatchObject({
      id: 'urn:uuid:0b0c0d0e-0000-5000-8000-000000000001',
      slug: 'harbour',
      summary: 'Ferries are back.',
      published: '2025-04-22T07:30:00.000Z',
      updated: '2025-04-23T10:00:00.000Z',
      authors: [{ name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://example.com/ada' }, { name: 'Grace Hopper' }],
      tags: ['ports', 'weather'],
      image: { url: 'https://example.com/harbour.webp', alt: 'The harbour at dawn', type: 'image/webp', length: 1234 },
      canonicalUrl: 'https://origin.example/harbour',
      draft: true,
    });
  });

  it('keeps an article out of every email when it says email: false, and says nothing when it is mailed as usual', () => {
    expect(articleFromInput(makeInput({ email: false }), makeContext())).toMatchObject({ email: false });
    expect(articleFromInput(makeInput({ email: true }), makeContext())).not.toHaveProperty('email');
    expect(articleFromInput(makeInput(), makeContext())).not.toHaveProperty('email');
  });

  it('leaves out optional fields rather than setting them to undefined', () => {
    const article = articleFromInput(makeInput(), makeContext());
    expect(Object.entries(article).filter(([, value]) => value === undefined)).toEqual([]);
    expect('image' in article || 'canonicalUrl' in article).toBe(false);
  });

  it('converts GitHub-flavoured Markdown', () => {
    const body = '| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ and https://example.com/auto\n\n```ts\nconst x = 1;\n```';
    const names = DomUtils.findAll(() => true, parseDocument(articleFromInput(makeInput({ body }), makeContext()).html).children).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['table', 'th', 'td', 'del', 'a', 'pre', 'code']));
  });

  it('sanitizes html input and Markdown with raw HTML alike', () => {
    for (const input of [
      makeInput({ body: undefined, html: '<p onclick="x()">Hi<script>alert(1)</script></p>' }),
      makeInput({ body: 'Hi<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>' }),
    ]) {
      const { html } = articleFromInput(input, makeContext());
      expect(html).not.toMatch(/script|onclick|onerror/);
    }
  });

  it("makes relative links absolute against the article's own page", () => {
    const { html } = articleFromInput(makeInput({ body: '[about](/about/) [next](../next-story/) [notes](#notes) ![chart](chart.png)' }), makeContext());
    const urls = DomUtils.findAll(() => true, parseDocument(html).children).flatMap((e) => e.attribs.href ?? e.attribs.src ?? []);
    expect(urls).toEqual([
      'https://news.example.com/about/',
      'https://news.example.com/articles/next-story/',
      'https://news.example.com/articles/harbour-reopens-after-storm/#notes',
      'https://news.example.com/articles/harbour-reopens-after-storm/chart.png',
    ]);
  });

  it.each([
    ['the first paragraph', 'Intro line with a [link](https://x.example/).\n\nSecond paragraph.', 'Intro line with a link.'],
    ['the text when there is no paragraph', '- one\n- two', '* one * two'],
    ['the first paragraph cut to 280 characters', `${'word '.repeat(80)}\n\nmore`, `${'word '.repeat(56).trim()}…`],
  ])('summarizes from %s when no summary is given', (_case, body, summary) => {
    expect(articleFromInput(makeInput({ body }), makeContext()).summary).toBe(summary);
  });

  it('collapses whitespace in the title, summary and author names', () => {
    const article = articleFromInput(makeInput({ title: '  Harbour\n reopens  ', summary: ' Ferries\n\nare back ', author: ' Ada \t Lovelace ' }), makeContext());
    expect([article.title, article.summary, article.authors[0]?.name]).toEqual(['Harbour reopens', 'Ferries are back', 'Ada Lovelace']);
  });

  it('uses the default date when none is given, and updated follows published', () => {
    const article = articleFromInput(makeInput(), makeContext({ defaults: { published: '2025-04-22' } }));
    expect([article.published, article.updated]).toEqual(['2025-04-22T00:00:00.000Z', '2025-04-22T00:00:00.000Z']);
  });

  it('prefers the date given over the default', () => {
    const article = articleFromInput(makeInput({ published: '2025-04-20T08:00:00Z' }), makeContext({ defaults: { published: '2025-04-22' } }));
    expect(article.published).toBe('2025-04-20T08:00:00.000Z');
  });

  it('reads Date objects as their instant', () => {
    const article = articleFromInput(makeInput({ published: new Date('2025-04-22T10:00:00Z') }), makeContext());
    expect(article.published).toBe('2025-04-22T10:00:00.000Z');
  });

  it('treats null fields as not given', () => {
    const article = articleFromInput(makeInput({ summary: null, tags: null, image: null }), makeContext());
    expect(article.tags).toEqual([]);
    expect(article.image).toBeUndefined();
  });

  it('normalizes tags and keeps the first of each, in order', () => {
    const { tags } = articleFromInput(makeInput({ tags: ['Open Source', 'news', 'open-source', 'NEWS', 'Élections'] }), makeContext());
    expect(tags).toEqual(['open-source', 'news', 'elections']);
  });

  it.each([
    ['a URL string', 'https://example.com/a/harbour.JPG', { url: 'https://example.com/a/harbour.JPG', alt: '', type: 'image/jpeg', length: 0 }],
    ['a PNG without type', { url: 'https://example.com/h.png', alt: 'Harbour' }, { url: 'https://example.com/h.png', alt: 'Harbour', type: 'image/png', length: 0 }],
    ['a URL with a query', 'https://example.com/h.avif?w=800', { url: 'https://example.com/h.avif?w=800', alt: '', type: 'image/avif', length: 0 }],
    ['an unknown extension', 'https://cdn.example.com/img/123', { url: 'https://cdn.example.com/img/123', alt: '', length: 0 }],
    ['a type given', { url: 'https://example.com/h', alt: 'a', type: 'image/gif', length: 5 }, { url: 'https://example.com/h', alt: 'a', type: 'image/gif', length: 5 }],
  ])('completes an image given as %s', (_case, image, expected) => {
    expect(articleFromInput(makeInput({ image }), makeContext()).image).toEqual(expected);
  });

  it.each([
    ['date', '2025-04-20', 'published', '2025-04-20T00:00:00.000Z'],
    ['description', 'From the alias.', 'summary', 'From the alias.'],
    ['canonical_url', 'https://origin.example/x', 'canonicalUrl', 'https://origin.example/x'],
    ['tags', 'Ports, weather,, News ', 'tags', ['ports', 'weather', 'news']],
  ])('accepts the front matter spelling %s', (alias, value, field, expected) => {
    const article = articleFromInput(makeInput({ [alias]: value }), makeContext()) as unknown as Record<string, unknown>;
    expect(article[field]).toEqual(expected);
  });

  it('strips characters XML forbids from every text field', () => {
    const dirty = (s: string) => `${s}${FORBIDDEN}`;
    const article = articleFromInput(
      {
        title: dirty('Harbour'),
        summary: dirty('Summary'),
        body: dirty('Body text'),
        tags: [dirty('ports')],
        authors: [{ name: dirty('Ada') }],
        image: { url: 'https://example.com/a.png', alt: dirty('Alt') },
      },
      makeContext(),
    );
    expect(stringsIn(article).filter(({ value }) => hasXmlForbidden(value))).toEqual([]);
    expect([article.title, article.summary, article.tags[0], article.authors[0]?.name, article.image?.alt]).toEqual(['Harbour', 'Summary', 'ports', 'Ada', 'Alt']);
  });

  it('strips them from the author string and html input too', () => {
    const article = articleFromInput({ title: 'T', author: `Ada${FORBIDDEN}`, html: `<p>x${FORBIDDEN}</p>` }, makeContext());
    expect(stringsIn(article).filter(({ value }) => hasXmlForbidden(value))).toEqual([]);
  });
});

describe('articleFromInput, for invalid input', () => {
  it.each([
    ['no title', { title: undefined }, ['title']],
    ['an empty title', { title: '   ' }, ['title']],
    ['a title of control characters only', { title: '\u0001\u0002' }, ['title']],
    ['a title over 300 characters', { title: 'x'.repeat(301) }, ['title']],
    ['a title that is a number', { title: 2025 }, ['title']],
    ['a title of punctuation only', { title: '!!! ???' }, ['slug']],
    ['an invalid slug', { slug: 'Not A Slug' }, ['slug']],
    ['an id that is not a URI', { id: 'abc' }, ['id']],
    ['neither body nor html', { body: undefined }, ['body']],
    ['both body and html', { html: '<p>x</p>' }, ['html']],
    ['an empty body', { body: '  \n ' }, ['body']],
    ['a date before 1995', { published: '1994-12-31' }, ['published']],
    ['the epoch', { published: '1970-01-01T00:00:00Z' }, ['published']],
    ['a date that does not exist', { published: '2025-02-30' }, ['published']],
    ['a time without a zone', { published: '2025-04-22T09:00:00' }, ['published']],
    ['updated before published', { published: '2025-04-22', updated: '2025-04-21' }, ['updated']],
    ['a "__proto__" field', JSON.parse('{"__proto__": {"draft": true}}') as Record<string, unknown>, ['__proto__']],
    ['an author without name', { authors: [{ email: 'a@example.com' }] }, ['authors.0.name']],
    ['a bad author email and url', { authors: [{ name: 'A', email: 'nope', url: 'ftp://x.example/' }] }, ['authors.0.email', 'authors.0.url']],
    ['both author and authors', { author: 'A', authors: [{ name: 'B' }] }, ['author']],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, ['tags']],
    ['a tag of punctuation', { tags: ['ok', '!!!'] }, ['tags.1']],
    ['tags that are not strings', { tags: [1] }, ['tags.0']],
    ['a relative image URL', { image: '/images/a.png' }, ['image']],
    ['an image without alt', { image: { url: 'https://example.com/a.png' } }, ['image.alt']],
    ['an image with a bad type and length', { image: { url: 'https://example.com/a.png', alt: '', type: 'text/html', length: -1 } }, ['image.length', 'image.type']],
    ['an image of the wrong type', { image: 42 }, ['image']],
    ['a javascript: canonical URL', { canonicalUrl: 'javascript:alert(1)' }, ['canonicalUrl']],
    ['a draft flag that is a string', { draft: 'yes' }, ['draft']],
    ['an unknown field', { category: 'news' }, ['category']],
    ['an unknown field inside an author', { authors: [{ name: 'A', nick: 'a' }] }, ['authors.0.nick']],
    ['an unknown field inside an image', { image: { url: 'https://example.com/a.png', alt: '', caption: 'c' } }, ['image.caption']],
  ])('reports %s', (_case, overrides, fields) => {
    const error = errorOf(() => articleFromInput(makeInput(overrides), makeContext()));
    expect(error.kind).toBe('invalid');
    expect(fieldsOf(error)).toEqual(fields);
  });

  it('reports every problem at once, in one error', () => {
    const error = errorOf(() =>
      articleFromInput(
        { title: '', body: 'x', published: '1990-01-01', authors: [{ name: 3 }], tags: ['#'], image: { url: 'x' }, extra: true },
        makeContext(),
      ),
    );
    expect(fieldsOf(error)).toEqual(['authors.0.name', 'extra', 'image.alt', 'image.url', 'published', 'tags.0', 'title']);
    expect(error.message).toMatch(/^invalid article, 7 problems: /);
  });

  it('names the file in the message when the input came from one', () => {
    const error = errorOf(() => articleFromInput(makeInput({ title: undefined }), makeContext({ source: 'content/x.md' })));
    expect(error.message).toBe('content/x.md: invalid article: title: is required');
    expect(error.problems).toEqual([{ field: 'title', message: 'is required' }]);
  });

  it.each([
    ['date', { date: '1990-01-01' }, 'date'],
    ['description', { description: 42 }, 'description'],
    ['canonical_url', { canonical_url: 'not a url' }, 'canonical_url'],
  ])('names the field %s as the author wrote it', (_alias, overrides, field) => {
    expect(fieldsOf(errorOf(() => articleFromInput(makeInput(overrides), makeContext())))).toEqual([field]);
  });

  it('refuses an alias given together with its field', () => {
    const error = errorOf(() => articleFromInput(makeInput({ date: '2025-04-22', published: '2025-04-22' }), makeContext()));
    expect(error.problems).toEqual([{ field: 'date', message: 'cannot be given together with published' }]);
  });

  it('requires a date when asked to', () => {
    const error = errorOf(() => articleFromInput(makeInput(), makeContext({ requirePublished: true, source: 'content/x.md' })));
    expect(fieldsOf(error)).toEqual(['published']);
    expect(error.message).toMatch(/^content\/x\.md: /);
  });

  it('reports updated before the default date', () => {
    const error = errorOf(() => articleFromInput(makeInput({ updated: '2025-04-01' }), makeContext({ defaults: { published: '2025-04-22' } })));
    expect(fieldsOf(error)).toEqual(['updated']);
  });

  it('reports a default date that is not a date', () => {
    expect(fieldsOf(errorOf(() => articleFromInput(makeInput(), makeContext({ defaults: { published: '2025-13-45' } }))))).toEqual(['published']);
  });

  it('reports html that has nothing left once sanitized', () => {
    const error = errorOf(() => articleFromInput(makeInput({ body: undefined, html: '<script>alert(1)</script>' }), makeContext()));
    expect(fieldsOf(error)).toEqual(['html']);
  });

  it.each([[null], ['a string'], [[1, 2]], [42]])('refuses %j as malformed: an article is an object', (input) => {
    expect(errorOf(() => articleFromInput(input, makeContext())).kind).toBe('malformed');
  });
});

describe('ArticleInputSchema', () => {
  it('accepts what an API client sends', () => {
    expect(ArticleInputSchema.safeParse({ title: 'T', html: '<p>x</p>', tags: ['a'], image: 'https://example.com/a.png' }).success).toBe(true);
  });

  it('refuses unknown fields', () => {
    expect(ArticleInputSchema.safeParse({ title: 'T', body: 'x', date: '2025-04-22' }).success).toBe(false);
  });
});
