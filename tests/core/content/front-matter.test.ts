import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../../functions/core/content/front-matter.js';
import { PressrunError } from '../../../functions/core/errors.js';

describe('splitFrontMatter', () => {
  it.each([
    ['text without front matter', 'Just text\n\nMore.', undefined, 'Just text\n\nMore.'],
    ['a front matter block', '---\ntitle: Hello\ntags: [a, b]\n---\nBody\n', { title: 'Hello', tags: ['a', 'b'] }, 'Body\n'],
    ['CRLF line endings', '---\r\ntitle: Hello\r\n---\r\nBody\r\nline\r\n', { title: 'Hello' }, 'Body\nline\n'],
    ['a byte-order mark', '\uFEFF---\ntitle: Hello\n---\nBody', { title: 'Hello' }, 'Body'],
    ['a byte-order mark and CRLF', '\uFEFF---\r\ntitle: Hello\r\n---\r\nBody', { title: 'Hello' }, 'Body'],
    ['a byte-order mark without front matter', '\uFEFFTitle\n\nBody', undefined, 'Title\n\nBody'],
    ['an empty block', '---\n---\nBody', {}, 'Body'],
    ['a block of comments only', '---\n# nothing yet\n---\nBody', {}, 'Body'],
    ['trailing spaces on the fences', '---  \ntitle: Hello\n--- \nBody', { title: 'Hello' }, 'Body'],
    ['a block at the very end', '---\ntitle: Hello\n---', { title: 'Hello' }, ''],
    ['a dashed line later in the text', 'Text\n---\nmore', undefined, 'Text\n---\nmore'],
    ['a body containing another --- block', '---\ntitle: A\n---\nText\n---\nb: c\n---\n', { title: 'A' }, 'Text\n---\nb: c\n---\n'],
    ['a date, kept as the string written', '---\ndate: 2025-04-22\n---\n', { date: '2025-04-22' }, ''],
    ['yes/no, which YAML 1.2 reads as strings', '---\ndraft: no\n---\n', { draft: 'no' }, ''],
  ])('reads %s', (_case, text, data, body) => {
    expect(splitFrontMatter(text)).toEqual({ data, body });
  });

  it.each([
    ['bad YAML', '---\ntitle: [unclosed\n---\nBody'],
    ['a tab-indented mapping', '---\ntitle: a\n\tb: c\n---\n'],
    ['a duplicate key', '---\ntitle: a\ntitle: b\n---\n'],
    ['a list instead of a mapping', '---\n- a\n- b\n---\n'],
    ['a bare scalar', '---\njust words\n---\n'],
    ['no closing fence', '---\ntitle: Hello\n\nBody without a closing line'],
  ])('refuses %s as malformed front matter, naming the file', (_case, text) => {
    let error: unknown;
    try {
      splitFrontMatter(text, 'content/x.md');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PressrunError);
    expect(error).toMatchObject({ kind: 'malformed', problems: [{ field: 'front-matter' }] });
    expect((error as PressrunError).message).toMatch(/^content\/x\.md: front matter /);
  });
});
