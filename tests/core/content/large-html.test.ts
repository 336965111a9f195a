/**
 * What the sanitizer and the plain-text converter do with HTML too large or too deep to handle the
 * usual way: the same answer a reader needs, in time linear in the HTML.
 */
import { describe, expect, it } from 'vitest';
import { FIRST_PARAGRAPH_CHARACTERS, firstParagraphText, htmlToPlainText, summarize } from '../../../functions/core/content/plain-text.js';
import { MAX_HTML_NESTING, sanitizeArticleHtml } from '../../../functions/core/content/sanitize.js';

const BASE = 'https://news.example.com/articles/a/';
const rows = (count: number) => Array.from({ length: count }, (_, i) => `<tr><td>r${i}</td><td>y</td></tr>`).join('');

describe('htmlToPlainText of tables', () => {
  it('lays out a table of up to 200 rows in aligned columns', () => {
    const text = htmlToPlainText(`<table><tr><th>Name</th><th>n</th></tr>${rows(199)}</table>`);
    expect(text.split('\n')).toHaveLength(200);
    expect(text).toContain('r10    y');
  });

  it('writes a larger table one row a line, cells three spaces apart', () => {
    const text = htmlToPlainText(`<table><thead><tr><th>Name</th><th>n</th></tr></thead><tbody>${rows(1_000)}</tbody></table>`);
    expect(text.split('\n')).toHaveLength(1_001);
    expect(text.split('\n').slice(0, 3)).toEqual(['Name   n', 'r0   y', 'r1   y']);
  });

  it.each([
    ['a cell spanning 201 columns', '<table><tr><td colspan="201">wide</td></tr></table>'],
    ['a cell spanning 201 rows', '<table><tr><td rowspan="201">tall</td><td>b</td></tr></table>'],
    ['a row of 201 cells', `<table><tr>${'<td>c</td>'.repeat(201)}</tr></table>`],
  ])('writes %s one row a line', (_name, html) => {
    expect(htmlToPlainText(html).split('\n')).toHaveLength(1);
  });
});

describe('firstParagraphText of a long paragraph', () => {
  const words = Array.from({ length: 20_000 }, (_, i) => `<a href="https://example.com/${i}">word${i}</a>`).join(' ');
  const html = `<h2>Title</h2><p>${words}</p><p>Second.</p>`;

  it('gives its first characters, as a summary needs them', () => {
    const text = firstParagraphText(html);
    expect(text).toHaveLength(FIRST_PARAGRAPH_CHARACTERS);
    expect(text.startsWith('word0 word1 word2')).toBe(true);
    expect(summarize(text)).toBe(summarize(htmlToPlainText(`<p>${words}</p>`).replace(/ \[[^\]]*\]/g, '')));
  });

  it('gives all of a short paragraph, however long its markup', () => {
    const links = Array.from({ length: 200 }, (_, i) => `<a href="https://example.com/${'x'.repeat(100)}">w${i}</a>`).join(' ');
    expect(firstParagraphText(`<p>${links}</p>`)).toBe(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
  });
});

describe('sanitizeArticleHtml', () => {
  it.each([
    ['a whole number', '3', '3'],
    ['a number past the largest colspan', '100000', '1000'],
    ['leading digits', ' 2.5', '2'],
    ['a plus sign', '+4', '4'],
  ])('keeps a colspan of %s as the HTML standard reads it', (_name, value, kept) => {
    expect(sanitizeArticleHtml(`<table><tr><td colspan="${value}">x</td></tr></table>`, BASE)).toContain(`<td colspan="${kept}">`);
  });

  it.each([['0'], ['-1'], ['e9'], ['none'], ['']])('drops a colspan of "%s"', (value) => {
    expect(sanitizeArticleHtml(`<table><tr><td colspan="${value}">x</td></tr></table>`, BASE)).toContain('<td>x</td>');
  });

  it('keeps rowspan="0", which spans to the end of the table section', () => {
    expect(sanitizeArticleHtml('<table><tr><td rowspan="0">x</td></tr></table>', BASE)).toContain('<td rowspan="0">');
  });

  it(`unwraps elements nested deeper than ${MAX_HTML_NESTING}, keeping their text`, () => {
    const html = sanitizeArticleHtml(`${'<div>'.repeat(200)}deep${'</div>'.repeat(200)}<p>after</p>`, BASE);
    expect(html).toBe(`${'<div>'.repeat(MAX_HTML_NESTING)}deep${'</div>'.repeat(MAX_HTML_NESTING)}<p>after</p>`);
  });
});
