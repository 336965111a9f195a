import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMarkdownArticle } from '../../../functions/core/content/parse-markdown.js';
import { PressrunError } from '../../../functions/core/errors.js';
import { makeSite } from '../../support/factories.js';
import { FORBIDDEN, hasXmlForbidden, NOW, stringsIn } from './content-factories.js';

const ctx = () => ({ site: makeSite(), now: new Date(NOW) });

function markdownFile(frontMatter: string, body = 'The harbour reopened on **Tuesday**.\n', name = 'content/2025-04-22-harbour.md') {
  return { name, text: `---\n${frontMatter}\n---\n${body}` };
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

describe('parseMarkdownArticle', () => {
  it('reads front matter and converts the body', () => {
    const article = parseMarkdownArticle(markdownFile('title: Harbour reopens\ntags: [ports]\nauthor: Ada'), ctx());
    expect(article).toMatchObject({
      title: 'Harbour reopens',
      slug: 'harbour-reopens',
      html: '<p>The harbour reopened on <strong>Tuesday</strong>.</p>\n',
      published: '2025-04-22T00:00:00.000Z',
      tags: ['ports'],
      authors: [{ name: 'Ada' }],
    });
  });

  it.each([
    ['date', 'date: 2025-04-20', '2025-04-20T00:00:00.000Z'],
    ['published', 'published: 2025-04-20T10:00:00+01:00', '2025-04-20T09:00:00.000Z'],
    ['a quoted date', 'date: "2025-04-20"', '2025-04-20T00:00:00.000Z'],
  ])('takes the date from %s in the front matter over the file name', (_case, line, published) => {
    expect(parseMarkdownArticle(markdownFile(`title: T\n${line}`), ctx()).published).toBe(published);
  });

  it('reads the file-name date from a path in any folder', () => {
    expect(parseMarkdownArticle(markdownFile('title: T', 'x', 'a\\b\\2024-12-31-x.md'), ctx()).published).toBe('2024-12-31T00:00:00.000Z');
  });

  it('reads CRLF line endings and a byte-order mark', () => {
    const article = parseMarkdownArticle({ name: 'content/2025-04-22-x.md', text: '\uFEFF---\r\ntitle: Harbour\r\n---\r\nLine one\r\n\r\nLine two\r\n' }, ctx());
    expect(article.html).toBe('<p>Line one</p>\n<p>Line two</p>\n');
    expect(article.title).toBe('Harbour');
  });

  it('reads a file without front matter as far as it can, then names what is missing', () => {
    const error = errorOf(() => parseMarkdownArticle({ name: 'content/notes.md', text: '# Notes\n\ntext' }, ctx()));
    expect(error.message).toMatch(/^content\/notes\.md: /);
    expect(error.problems.map((p) => p.field).sort()).toEqual(['published', 'title']);
  });

  it.each([
    ['no title', 'tags: [a]', 'content/2025-04-22-harbour.md', ['title']],
    ['no date in the front matter or the file name', 'title: T', 'content/harbour.md', ['published']],
    ['neither', 'summary: s', 'content/harbour.md', ['published', 'title']],
    ['a file-name date that does not exist', 'title: T', 'content/2025-02-30-harbour.md', ['published']],
    ['an unknown front matter field', 'title: T\nlayout: post', 'content/2025-04-22-harbour.md', ['layout']],
    ['a date before 1995', 'title: T\ndate: 1990-01-01', 'content/harbour.md', ['date']],
  ])('names the file and the field for %s', (_case, frontMatter, name, fields) => {
    const error = errorOf(() => parseMarkdownArticle(markdownFile(frontMatter, 'x', name), ctx()));
    expect(error.kind).toBe('invalid');
    expect(error.message.startsWith(`${name}: `)).toBe(true);
    expect(error.problems.map((p) => p.field).sort()).toEqual(fields);
  });

  it('refuses a body or html field in the front matter', () => {
    const error = errorOf(() => parseMarkdownArticle(markdownFile('title: T\nbody: hidden'), ctx()));
    expect(error.problems.map((p) => p.field)).toEqual(['body']);
  });

  it('reports bad YAML as malformed front matter, naming the file', () => {
    const error = errorOf(() => parseMarkdownArticle(markdownFile('title: [unclosed'), ctx()));
    expect(error).toMatchObject({ kind: 'malformed', problems: [{ field: 'front-matter' }] });
    expect(error.message).toMatch(/^content\/2025-04-22-harbour\.md: /);
  });

  it('uses now when a date is not required, as for Markdown sent to the API', () => {
    const article = parseMarkdownArticle({ name: 'request.md', text: '---\ntitle: T\n---\nx' }, { ...ctx(), requirePublished: false });
    expect(article.published).toBe(NOW);
  });

  it('falls back to a default date, as when editing a stored article', () => {
    const article = parseMarkdownArticle({ name: 'x.md', text: '---\ntitle: T\n---\nx' }, { ...ctx(), defaults: { published: '2025-03-01T08:00:00.000Z' } });
    expect(article.published).toBe('2025-03-01T08:00:00.000Z');
  });

  it('removes characters XML forbids from front matter fields and the body', () => {
    const frontMatter = 'title: "Har\u0001bour\uD800"\nsummary: "Sum\u000Bmary"\ntags: ["ports\u0008"]\nauthor: "Ada\uFFFE"';
    const article = parseMarkdownArticle(markdownFile(frontMatter, `Body${FORBIDDEN} text`), ctx());
    expect(stringsIn(article).filter(({ value }) => hasXmlForbidden(value))).toEqual([]);
    expect([article.title, article.summary, article.tags, article.authors]).toEqual(['Harbour', 'Summary', ['ports'], [{ name: 'Ada' }]]);
  });

  it('parses the welcome article in content/', () => {
    const name = 'content/2025-04-23-welcome-to-pressrun.md';
    const article = parseMarkdownArticle({ name, text: readFileSync(name, 'utf8') }, ctx());
    expect(article).toMatchObject({
      title: 'Welcome to Pressrun',
      slug: 'welcome-to-pressrun',
      published: '2025-04-23T00:00:00.000Z',
      tags: ['pressrun', 'announcements'],
      authors: [{ name: 'The Pressrun team' }],
      draft: false,
    });
    expect(article.summary).not.toBe('');
    expect(article.html).toContain('<h2>');
  });
});
