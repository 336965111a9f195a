import { describe, expect, it } from 'vitest';
import { renderIndexPage } from '../../../functions/core/pages/index.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { attr, byClass, elements, links, metaContent, parseHtml, text } from './html.js';

describe('renderIndexPage', () => {
  it('lists the articles newest first, whatever order they come in', () => {
    const articles = [
      makeArticle({ slug: 'middle', published: '2025-04-02T00:00:00.000Z' }),
      makeArticle({ slug: 'newest', published: '2025-04-03T00:00:00.000Z' }),
      makeArticle({ slug: 'oldest', published: '2025-04-01T00:00:00.000Z' }),
    ];
    const list = byClass(parseHtml(renderIndexPage(makeSite(), articles, [])), 'entries')[0]!;
    expect(elements(list, 'h2').map((h) => attr(elements(h, 'a')[0]!, 'href'))).toEqual([
      'https://news.example.com/articles/newest/',
      'https://news.example.com/articles/middle/',
      'https://news.example.com/articles/oldest/',
    ]);
  });

  it('shows each article with its date and summary', () => {
    const article = makeArticle({ title: 'Pressrun ships', summary: 'It does.', published: '2025-04-22T09:30:00.000Z' });
    const item = elements(byClass(parseHtml(renderIndexPage(makeSite(), [article], [])), 'entries')[0]!, 'li')[0]!;
    expect(text(elements(item, 'h2')[0]!)).toBe('Pressrun ships');
    expect(attr(elements(item, 'time')[0]!, 'datetime')).toBe('2025-04-22T09:30:00.000Z');
    expect(text(item)).toContain('It does.');
  });

  it('links every tag to its page', () => {
    const doc = parseHtml(renderIndexPage(makeSite(), [], ['news', 'releases']));
    const tagLinks = elements(byClass(doc, 'tags')[0]!, 'a');
    expect(tagLinks.map((a) => attr(a, 'href'))).toEqual([
      'https://news.example.com/tags/news/',
      'https://news.example.com/tags/releases/',
    ]);
  });

  it('says so when there is nothing yet', () => {
    expect(text(elements(parseHtml(renderIndexPage(makeSite(), [], [])), 'main')[0]!)).toContain('No articles yet');
  });

  it('is the canonical home of the site, described by the site description', () => {
    const doc = parseHtml(renderIndexPage(makeSite(), [], []));
    expect(attr(links(doc, 'canonical')[0]!, 'href')).toBe('https://news.example.com/');
    expect(metaContent(doc, 'description')).toEqual(['Notes from the example newsroom']);
    expect(text(elements(doc, 'title')[0]!)).toBe('Example News');
  });

  it('does not reorder the caller’s array', () => {
    const articles = [makeArticle({ published: '2025-04-01T00:00:00.000Z' }), makeArticle({ published: '2025-04-03T00:00:00.000Z' })];
    const before = articles.map((a) => a.slug);
    renderIndexPage(makeSite(), articles, []);
    expect(articles.map((a) => a.slug)).toEqual(before);
  });
});
