import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../../functions/core/digest/render-digest.js';
import { personalizeDigest } from '../../../functions/core/digest/personalize.js';
import { TEXT_WIDTH, wrapText } from '../../../functions/core/digest/digest-view.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { digestTemplate } from '../../support/templates.js';
import { imagesWithoutAlt, relativeLinks, unsafeMarkup } from '../../support/unsafe-markup.js';

const site = makeSite();
const LONG =
  'The city council approved the budget for the harbour bridge after a debate that lasted well into the night, with seven votes for and four against; work starts in spring. ';

async function tenWithImages() {
  const articles = Array.from({ length: 10 }, (_, i) =>
    makeArticle({
      title: `Council approves the harbour bridge budget after a long night of debate, part ${i + 1}`,
      summary: LONG.repeat(3),
      image: {
        url: `https://images.example.com/photo-${i}.jpg?w=1200&h=800`,
        alt: i === 3 ? '' : `Photo ${i + 1} of the council chamber`,
        type: 'image/jpeg',
        length: 0,
      },
    }),
  );
  const digest = await renderDigest({
    site,
    id: '2025-06-01-abc',
    createdAt: '2025-06-01T12:00:00.000Z',
    articles,
    template: digestTemplate(),
  });
  return {
    digest,
    ...personalizeDigest(digest, {
      unsubscribeUrl: 'https://news.example.com/api/unsubscribe?token=abc',
      webVersionUrl: 'https://news.example.com/digests/2025-06-01-abc/',
      preferencesUrl: 'https://news.example.com/api/preferences?token=def',
    }),
  };
}

describe('the digest as a mail client meets it', () => {
  it('stays well under the 102 KB Gmail clips at, for 10 articles each with an image', async () => {
    const { html, digest } = await tenWithImages();

    expect(digest.articleSlugs).toHaveLength(10);
    expect(Buffer.byteLength(html)).toBeLessThan(102 * 1024);
  });

  it('gives every image a non-empty alt, the title standing in for an image without its own', async () => {
    const { html } = await tenWithImages();

    expect(imagesWithoutAlt(html)).toEqual([]);
    expect(html).not.toMatch(/<img\s[^>]*alt=""/);
    expect(html).toContain('alt="Council approves the harbour bridge budget after a long night of debate, part 4"');
  });

  it('links only to absolute URLs and carries nothing that runs', async () => {
    const { html } = await tenWithImages();

    expect(relativeLinks(html)).toEqual([]);
    expect(unsafeMarkup(html)).toEqual([]);
  });

  it('fills the inbox preview after the preheader with invisible spacers rather than the first lines of the body', async () => {
    const { html, digest } = await tenWithImages();
    const preview = html.indexOf(digest.preheader);

    expect(preview).toBeGreaterThan(html.indexOf('<body'));
    expect(html.indexOf('&#847;&zwnj;&nbsp;', preview)).toBeGreaterThan(preview);
    expect(html.indexOf('&#847;&zwnj;&nbsp;', preview)).toBeLessThan(html.indexOf(`>${site.title}</a>`, preview));
  });

  it('declares light and dark schemes and restyles for dark mode', async () => {
    const { html } = await tenWithImages();

    expect(html).toContain('<meta name="color-scheme" content="light dark"');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toMatch(/@media only screen and \(min-width:480px\)/);
  });

  it('has a plain-text part of short lines (titles stay whole), each article a title, a date, a summary and its link', async () => {
    const { text, digest } = await tenWithImages();
    const lines = text.split('\n');

    const titles = new Set(
      digest.articleSlugs.map((_, i) => `Council approves the harbour bridge budget after a long night of debate, part ${10 - i}`),
    );
    expect(lines.filter((line) => line.length > TEXT_WIDTH && !titles.has(line) && !line.includes('https://'))).toEqual([]);
    expect(lines.filter((line) => /^https:\/\/news\.example\.com\/articles\/[^/]+\/$/.test(line))).toHaveLength(10);
    expect(text).not.toMatch(/<[a-z]|&amp;|&#/i);
    expect(lines).toContain('Unsubscribe: https://news.example.com/api/unsubscribe?token=abc');
  });
});

describe('wrapText', () => {
  it.each([
    ['short', 10, ['short']],
    ['one two three four', 9, ['one two', 'three', 'four']],
    ['see https://example.com/a/very/long/url/indeed now', 12, ['see', 'https://example.com/a/very/long/url/indeed', 'now']],
    ['  spaced\n\nout  ', 20, ['spaced out']],
    ['', 10, []],
  ])('wraps "%s" at %i characters', (input, width, expected) => {
    expect(wrapText(input, width)).toEqual(expected);
  });
});
