import { readFileSync } from 'node:fs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { parseTextArticle } from '../../../functions/core/content/parse-text.js';
import { PressrunError } from '../../../functions/core/errors.js';
import { makeSite } from '../../support/factories.js';
import { FORBIDDEN, hasXmlForbidden, NOW, stringsIn } from './content-factories.js';

const ctx = () => ({ site: makeSite(), now: new Date(NOW) });
const textFile = (text: string, name = 'content/2025-04-22-harbour.txt') => ({ name, text });

function paragraphs(html: string): string[] {
  const doc = parseDocument(html);
  return DomUtils.findAll((el) => el.name === 'p', doc.children).map((p) => DomUtils.textContent(p));
}

function errorOf(fn: () => unknown): PressrunError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PressrunError) return error;
    throw error;
  }
  throw new Error('expected a PressrunError');
}

describe('parseTextArticle', () => {
  describe('with the seed article in content/', () => {
    const name = 'content/2025-04-22-russia-ukraine-direct-talks.txt';
    const article = () => parseTextArticle({ name, text: readFileSync(name, 'utf8') }, ctx());

    it('takes the title from the first line and the date from the file name', () => {
      expect(article().title).toBe('Russia and Ukraine Indicate Willingness for Direct Talks Amid Pressure from Trump');
      expect(article().published).toBe('2025-04-22T00:00:00.000Z');
    });

    it('has one paragraph per blank-line-separated block: 14', () => {
      const found = paragraphs(article().html);
      expect(found).toHaveLength(14);
      expect(found[0]).toMatch(/^Both the Kremlin/);
      expect(found.at(-1)).toMatch(/^Further attacks in Zaporizhzhia/);
    });

    it('drops the trailing navigation', () => {
      expect(article().html).not.toMatch(/Previous Post|Next Post/i);
      expect(article().text).not.toMatch(/Previous Post|Next Post/i);
    });

    it('keeps curly quotes and apostrophes', () => {
      expect(article().html).toContain('“ready for any conversation”');
      expect(article().text).toContain('Trump’s push');
    });

    it('summarizes from the first paragraph', () => {
      expect(article().summary).toMatch(/^Both the Kremlin and Ukrainian President Volodymyr Zelensky/);
    });
  });

  it('joins the lines of a paragraph and escapes markup as text', () => {
    const article = parseTextArticle(textFile('Title\n\nLine one\nline two <script>alert(1)</script> & more\n\nSecond'), ctx());
    expect(paragraphs(article.html)).toEqual(['Line one line two <script>alert(1)</script> & more', 'Second']);
    expect(DomUtils.findAll((el) => el.name === 'script', parseDocument(article.html).children)).toEqual([]);
  });

  it('skips blank lines before the title and treats whitespace-only lines as blank', () => {
    const article = parseTextArticle(textFile('\n  \nTitle here  \n \t \nBody'), ctx());
    expect(article.title).toBe('Title here');
    expect(paragraphs(article.html)).toEqual(['Body']);
  });

  it.each([
    ['Previous Post Next Post'],
    ['Previous Post'],
    ['Next Post'],
    ['next post'],
    ['Share this:'],
    ['Related Posts'],
    ['← Older posts | Newer posts →'],
    ['Previous Post\n\nNext Post\n\n\n'],
    ['Share this:\nRelated Posts\n  \n'],
  ])('drops %j at the end', (navigation) => {
    const article = parseTextArticle(textFile(`Title\n\nBody.\n\n${navigation}`), ctx());
    expect(paragraphs(article.html)).toEqual(['Body.']);
  });

  it('keeps navigation words inside the article', () => {
    const article = parseTextArticle(textFile('Title\n\nPrevious Post\n\nThe next post office opens Monday.\n\nEnd.'), ctx());
    expect(paragraphs(article.html)).toEqual(['Previous Post', 'The next post office opens Monday.', 'End.']);
  });

  it('reads CRLF line endings and a byte-order mark', () => {
    const article = parseTextArticle(textFile('\uFEFFTitle\r\n\r\nOne\r\ntwo\r\n\r\nThree\r\n'), ctx());
    expect(article.title).toBe('Title');
    expect(paragraphs(article.html)).toEqual(['One two', 'Three']);
  });

  it('takes the title and date from front matter when given', () => {
    const article = parseTextArticle(textFile('---\ntitle: From front matter\ndate: 2025-04-20\ntags: news\n---\nFirst line is text\n\nMore', 'content/notes.txt'), ctx());
    expect(article).toMatchObject({ title: 'From front matter', published: '2025-04-20T00:00:00.000Z', tags: ['news'] });
    expect(paragraphs(article.html)).toEqual(['First line is text', 'More']);
  });

  it('takes the title from the first line when front matter has none', () => {
    const article = parseTextArticle(textFile('---\nsummary: s\n---\nThe title\n\nBody'), ctx());
    expect(article.title).toBe('The title');
  });

  it('removes characters XML forbids from every field', () => {
    const article = parseTextArticle(textFile(`Title${FORBIDDEN}\n\nBody${FORBIDDEN} text`), ctx());
    expect(stringsIn(article).filter(({ value }) => hasXmlForbidden(value))).toEqual([]);
    expect(article.title).toBe('Title');
  });

  it.each([
    ['no date anywhere', textFile('Title\n\nBody', 'content/harbour.txt'), ['published']],
    ['a title of punctuation only', textFile('!!!\n\nBody'), ['slug']],
    ['an unknown front matter field', textFile('---\ntitle: T\nlayout: post\n---\nBody'), ['layout']],
  ])('names the file and the field for %s', (_case, file, fields) => {
    const error = errorOf(() => parseTextArticle(file, ctx()));
    expect(error.message.startsWith(`${file.name}: `)).toBe(true);
    expect(error.problems.map((p) => p.field)).toEqual(fields);
  });

  it.each([
    ['an empty file', '', 'title'],
    ['navigation only', '\n\nPrevious Post Next Post\n', 'title'],
    ['a title without text', 'Title only\n\n', 'body'],
  ])('refuses %s, naming the file', (_case, text, field) => {
    const error = errorOf(() => parseTextArticle(textFile(text), ctx()));
    expect(error.message).toMatch(/^content\/2025-04-22-harbour\.txt: /);
    expect(error.problems.map((p) => p.field)).toEqual([field]);
  });
});
