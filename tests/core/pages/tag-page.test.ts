import { describe, expect, it } from 'vitest';
import { renderTagPage } from '../../../functions/core/pages/index.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { attr, byClass, elements, links, parseHtml, text } from './html.js';

describe('renderTagPage', () => {
  it('announces the tag’s own feeds beside the site’s', () => {
    const alternates = links(parseHtml(renderTagPage(makeSite(), 'open-source', [])), 'alternate').map((l) => [
      attr(l, 'type'),
      attr(l, 'href'),
    ]);
    expect(alternates).toEqual([
      ['application/rss+xml', 'https://news.example.com/feed.xml'],
      ['application/atom+xml', 'https://news.example.com/atom.xml'],
      ['application/feed+json', 'https://news.example.com/feed.json'],
      ['application/rss+xml', 'https://news.example.com/tags/open-source/feed.xml'],
      ['application/atom+xml', 'https://news.example.com/tags/open-source/atom.xml'],
      ['application/feed+json', 'https://news.example.com/tags/open-source/feed.json'],
    ]);
  });

  it('names the tag and links to its feeds in the page', () => {
    const main = elements(parseHtml(renderTagPage(makeSite(), 'open-source', [])), 'main')[0]!;
    expect(text(elements(main, 'h1')[0]!)).toContain('open-source');
    expect(elements(main, 'a').map((a) => attr(a, 'href'))).toContain('https://news.example.com/tags/open-source/feed.xml');
  });

  it('is canonical at the tag URL', () => {
    expect(attr(links(parseHtml(renderTagPage(makeSite(), 'news', [])), 'canonical')[0]!, 'href')).toBe(
      'https://news.example.com/tags/news/',
    );
  });

  it('lists the tag’s articles newest first', () => {
    const articles = [
      makeArticle({ slug: 'old', published: '2025-04-01T00:00:00.000Z' }),
      makeArticle({ slug: 'new', published: '2025-04-02T00:00:00.000Z' }),
    ];
    const list = byClass(parseHtml(renderTagPage(makeSite(), 'news', articles)), 'entries')[0]!;
    expect(elements(list, 'h2').map((h) => attr(elements(h, 'a')[0]!, 'href'))).toEqual([
      'https://news.example.com/articles/new/',
      'https://news.example.com/articles/old/',
    ]);
  });
});
