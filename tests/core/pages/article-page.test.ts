import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../functions/core/pages/index.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { HOSTILE_TITLE, attr, byClass, elements, links, metaContent, parseHtml, text } from './html.js';

const render = (overrides: Parameters<typeof makeArticle>[0] = {}) => parseHtml(renderArticlePage(makeSite(), makeArticle(overrides)));

describe('renderArticlePage', () => {
  it('shows the title, the publication date and the authors', () => {
    const doc = render({
      title: 'Pressrun ships',
      published: '2025-04-22T09:30:00.000Z',
      updated: '2025-04-22T09:30:00.000Z',
      authors: [{ name: 'Ada Lovelace', url: 'https://example.com/ada' }, { name: 'Grace Hopper' }],
    });
    expect(text(elements(doc, 'h1')[0]!)).toBe('Pressrun ships');
    const time = elements(doc, 'time');
    expect(time.map((t) => [attr(t, 'datetime'), text(t)])).toEqual([['2025-04-22T09:30:00.000Z', 'April 22, 2025']]);
    const meta = byClass(doc, 'meta')[0]!;
    expect(text(meta)).toContain('Ada Lovelace and Grace Hopper');
    expect(elements(meta, 'a').map((a) => attr(a, 'href'))).toEqual(['https://example.com/ada']);
  });

  it('shows the update date only when it falls on another day', () => {
    const doc = render({ published: '2025-04-22T09:30:00.000Z', updated: '2025-04-25T12:00:00.000Z' });
    expect(elements(doc, 'time').map((t) => attr(t, 'datetime'))).toEqual(['2025-04-22T09:30:00.000Z', '2025-04-25T12:00:00.000Z']);
  });

  it('formats dates in the site language', () => {
    const doc = parseHtml(
      renderArticlePage(
        makeSite({ language: 'de' }),
        makeArticle({ published: '2025-04-22T09:30:00.000Z', updated: '2025-04-22T09:30:00.000Z' }),
      ),
    );
    expect(text(elements(doc, 'time')[0]!)).toBe('22. April 2025');
  });

  it('links each tag to its tag page', () => {
    const tags = byClass(render({ tags: ['news', 'open-source'] }), 'tags')[0]!;
    expect(elements(tags, 'a').map((a) => [text(a), attr(a, 'href')])).toEqual([
      ['news', 'https://news.example.com/tags/news/'],
      ['open-source', 'https://news.example.com/tags/open-source/'],
    ]);
  });

  it('shows the image with its alt text, and no figure without one', () => {
    const img = elements(render({ image: { url: 'https://cdn.example.com/a.jpg', alt: 'A lighthouse' } }), 'img');
    expect(img.map((i) => [attr(i, 'src'), attr(i, 'alt')])).toEqual([['https://cdn.example.com/a.jpg', 'A lighthouse']]);
    expect(elements(render({ image: undefined }), 'figure')).toEqual([]);
  });

  it('inserts the sanitized body as markup, not as text', () => {
    const content = byClass(render({ html: '<p>Hello <em>there</em></p><ul><li>one</li></ul>' }), 'content')[0]!;
    expect(text(elements(content, 'em')[0]!)).toBe('there');
    expect(elements(content, 'li')).toHaveLength(1);
  });

  it('links back to the home page', () => {
    const main = elements(render(), 'main')[0]!;
    expect(elements(main, 'a').some((a) => attr(a, 'href') === 'https://news.example.com/' && text(a).includes('All articles'))).toBe(true);
  });

  it.each([
    ['its own page when it has no canonical URL', undefined, 'https://news.example.com/articles/hello/'],
    ['the canonical URL it was first published at', 'https://blog.example.org/hello', 'https://blog.example.org/hello'],
  ])('names as canonical %s', (_case, canonicalUrl, expected) => {
    const doc = render({ slug: 'hello', canonicalUrl });
    expect(attr(links(doc, 'canonical')[0]!, 'href')).toBe(expected);
    expect(metaContent(doc, 'og:url')).toEqual([expected]);
  });

  it('describes itself for link previews with Open Graph', () => {
    const doc = render({
      title: 'Pressrun ships',
      summary: 'It does.',
      tags: ['news'],
      image: { url: 'https://cdn.example.com/a.jpg', alt: 'A lighthouse' },
    });
    expect(metaContent(doc, 'og:type')).toEqual(['article']);
    expect(metaContent(doc, 'og:title')).toEqual(['Pressrun ships']);
    expect(metaContent(doc, 'og:description')).toEqual(['It does.']);
    expect(metaContent(doc, 'og:site_name')).toEqual(['Example News']);
    expect(metaContent(doc, 'og:image')).toEqual(['https://cdn.example.com/a.jpg']);
    expect(metaContent(doc, 'og:image:alt')).toEqual(['A lighthouse']);
    expect(metaContent(doc, 'description')).toEqual(['It does.']);
  });

  it('escapes a hostile title everywhere it appears', () => {
    const html = renderArticlePage(makeSite(), makeArticle({ title: HOSTILE_TITLE, summary: HOSTILE_TITLE }));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('<script>');
    const doc = parseHtml(html);
    expect(elements(doc, 'script')).toEqual([]);
    expect(text(elements(doc, 'h1')[0]!)).toBe(HOSTILE_TITLE);
    expect(text(elements(doc, 'title')[0]!)).toBe(`${HOSTILE_TITLE} – Example News`);
    expect(metaContent(doc, 'og:title')).toEqual([HOSTILE_TITLE]);
    expect(metaContent(doc, 'description')).toEqual([HOSTILE_TITLE]);
  });

  it('escapes hostile author names, tags and alt text', () => {
    const doc = render({ authors: [{ name: '<i>Eve</i>' }], image: { url: 'https://cdn.example.com/a.jpg', alt: '"><script>x</script>' } });
    expect(elements(doc, 'script')).toEqual([]);
    expect(elements(doc, 'i')).toEqual([]);
    expect(attr(elements(doc, 'img')[0]!, 'alt')).toBe('"><script>x</script>');
  });

  it('is the same for the same article', () => {
    const article = makeArticle();
    expect(renderArticlePage(makeSite(), article)).toBe(renderArticlePage(makeSite(), structuredClone(article)));
  });
});
