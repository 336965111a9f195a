import { describe, expect, it } from 'vitest';
import { renderDigestIndexPage } from '../../../functions/core/pages/index.js';
import { makeSite } from '../../support/factories.js';
import { attr, byClass, elements, links, parseHtml, text } from './html.js';

const aDigest = (id: string, createdAt: string, articleSlugs = ['a', 'b']) => ({ id, createdAt, subject: `Digest ${id}`, articleSlugs });

describe('renderDigestIndexPage', () => {
  it('lists past digests newest first, each linking to its web version', () => {
    const digests = [aDigest('2025-04-01', '2025-04-01T08:00:00.000Z'), aDigest('2025-04-08', '2025-04-08T08:00:00.000Z', ['c'])];
    const items = elements(byClass(parseHtml(renderDigestIndexPage(makeSite(), digests)), 'entries')[0]!, 'li');
    expect(items.map((li) => attr(elements(li, 'a')[0]!, 'href'))).toEqual([
      'https://news.example.com/digests/2025-04-08/',
      'https://news.example.com/digests/2025-04-01/',
    ]);
    expect(text(items[0]!)).toContain('Digest 2025-04-08');
    expect(text(items[0]!)).toContain('1 article');
    expect(text(items[1]!)).toContain('2 articles');
    expect(attr(elements(items[0]!, 'time')[0]!, 'datetime')).toBe('2025-04-08T08:00:00.000Z');
  });

  it('says so when no digest has been sent', () => {
    expect(text(elements(parseHtml(renderDigestIndexPage(makeSite(), [])), 'main')[0]!)).toContain('No digest has been sent yet');
  });

  it('is canonical at the archive URL', () => {
    expect(attr(links(parseHtml(renderDigestIndexPage(makeSite(), [])), 'canonical')[0]!, 'href')).toBe(
      'https://news.example.com/digests/',
    );
  });

  it('escapes digest subjects', () => {
    const doc = parseHtml(
      renderDigestIndexPage(makeSite(), [{ ...aDigest('x', '2025-04-01T08:00:00.000Z'), subject: '<script>alert(1)</script>' }]),
    );
    expect(elements(doc, 'script')).toEqual([]);
    expect(text(elements(elements(doc, 'h2')[0]!, 'a')[0]!)).toBe('<script>alert(1)</script>');
  });
});
