import { describe, expect, it } from 'vitest';
import { firstParagraphText, htmlToPlainText, summarize } from '../../../functions/core/content/plain-text.js';
import { hasXmlForbidden } from './content-factories.js';

describe('htmlToPlainText', () => {
  it.each([
    ['a link as text [url]', '<p>Read <a href="https://example.com/a">the report</a>.</p>', 'Read the report [https://example.com/a].'],
    ['a link whose text is its URL once', '<p><a href="https://example.com/">https://example.com/</a></p>', 'https://example.com/'],
    ['a mailto link with the address only', '<p><a href="mailto:desk@example.com">Write to us</a></p>', 'Write to us [desk@example.com]'],
    ['an image as its alt text', '<p>See <img src="data:image/png;base64,AAAA" alt="the chart"></p>', 'See [the chart]'],
    ['an image without alt as nothing', '<p>See<img src="https://example.com/a.png" alt=""></p>', 'See'],
    ['a heading as written, not upper-cased', '<h2>Where to read</h2><p>x</p>', 'Where to read\n\nx'],
    ['paragraphs separated by one blank line', '<p>one</p><p>two</p>', 'one\n\ntwo'],
    ['a list', '<ul><li>one</li><li>two</li></ul><p>after</p>', ' * one\n * two\n\nafter'],
    ['a line break', '<p>a<br>b</p>', 'a\nb'],
    ['entities decoded', '<p>Fish &amp; chips &lt;3 &#8220;q&#8221;</p>', 'Fish & chips <3 “q”'],
    ['a table as rows', '<table><tr><th>Name</th><th>n</th></tr><tr><td>a</td><td>1</td></tr></table>', 'Name   n\na      1'],
  ])('renders %s', (_case, html, text) => {
    expect(htmlToPlainText(html)).toBe(text);
  });

  it('does not wrap long paragraphs', () => {
    const sentence = 'word '.repeat(60).trim();
    expect(htmlToPlainText(`<p>${sentence}</p>`)).toBe(sentence);
  });

  it('never has more than one blank line in a row', () => {
    expect(htmlToPlainText('<ul><li>a</li></ul><h2>b</h2><blockquote><p>c</p></blockquote><p>d</p>')).not.toMatch(/\n\n\n/);
  });

  it('removes characters XML forbids', () => {
    expect(hasXmlForbidden(htmlToPlainText('<p>a\u0001b &#1; &#xFFFE; \uD800</p>'))).toBe(false);
  });
});

describe('firstParagraphText', () => {
  it.each([
    ['the first paragraph only', '<h2>Title</h2><p>First <a href="https://x.example/">link</a>.</p><p>Second.</p>', 'First link.'],
    ['whitespace collapsed', '<p>  a\n   b  </p>', 'a b'],
    ['nothing without a paragraph', '<h2>Only a heading</h2><ul><li>item</li></ul>', ''],
    ['no image alt text', '<p><img src="https://x.example/a.png" alt="alt">Caption</p>', 'Caption'],
  ])('gives %s', (_case, html, text) => {
    expect(firstParagraphText(html)).toBe(text);
  });
});

describe('summarize', () => {
  it.each([
    ['short text unchanged', 'A short summary.', 280, 'A short summary.'],
    ['whitespace collapsed to single spaces', ' a \n\n b\tc ', 280, 'a b c'],
    ['text exactly at the limit unchanged', 'abcde fghij', 11, 'abcde fghij'],
    ['a cut at the last word boundary', 'The harbour reopened on Tuesday', 20, 'The harbour…'],
    ['trailing punctuation dropped before the ellipsis', 'First part, second part', 12, 'First part…'],
    ['a single long word cut hard', 'a'.repeat(50), 10, `${'a'.repeat(9)}…`],
    ['emoji never split in half', '😀😀😀😀😀😀', 4, '😀😀😀…'],
  ])('gives %s', (_case, text, max, expected) => {
    expect(summarize(text, max)).toBe(expected);
  });

  it('is at most max code points long, ellipsis included', () => {
    const text = 'Both the Kremlin and Ukrainian President Volodymyr Zelensky indicated this week a willingness to engage. '.repeat(5);
    for (const max of [1, 2, 10, 50, 100, 280]) {
      const summary = summarize(text, max);
      expect(Array.from(summary).length).toBeLessThanOrEqual(max);
      expect(summary.endsWith('…')).toBe(true);
    }
  });

  it('defaults to 280 characters', () => {
    const summary = summarize('word '.repeat(100));
    expect(summary.length).toBeLessThanOrEqual(280);
    expect(summary.length).toBeGreaterThan(270);
  });
});
