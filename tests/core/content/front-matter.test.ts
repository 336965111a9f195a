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
    // yaml reads these without an error, then throws a ReferenceError or builds a cycle when asked for values (both were 500s).
    ['an alias of an anchor never set', '---\ntitle: a\nsummary: *s\n---\n'],
    ['a merge of an anchor never set', '---\ntitle: a\n<<: *base\n---\n'],
    ['an alias inside the list its anchor names', '---\ntitle: a\ntags: &t [news, *t]\n---\n'],
    ['an alias inside the mapping its anchor names', '---\ntitle: a\nimage: &i {url: *i}\n---\n'],
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

describe('aliases in front matter', () => {
  it.each([
    ['never set', '---\ntitle: a\nsummary: *s\n---\n', /alias \*s names no anchor set before it at line 2, column 10/],
    ['inside what its anchor names', '---\ntitle: a\ntags: &t [news, *t]\n---\n', /alias \*t is inside what its anchor names at line 2, column 17/],
  ])('refuses one %s, saying where it is', (_case, text, message) => {
    expect(() => splitFrontMatter(text, 'content/x.md')).toThrow(message);
  });

  it('still reads an alias of an anchor set before it', () => {
    expect(splitFrontMatter('---\ntitle: &t Same\nsummary: *t\n---\n').data).toEqual({ title: 'Same', summary: 'Same' });
  });
});

describe('a key that is a list or a mapping', () => {
  it('is read without a process warning (yaml printed one on stderr, in npm start and in the function logs)', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => void warnings.push(warning);
    process.on('warning', listen);
    try {
      const { data } = splitFrontMatter('---\ntitle: a\n? [x, y]\n: z\n---\n', 'content/x.md');
      // Node emits warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(data).toMatchObject({ title: 'a' });
      expect(warnings.map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', listen);
    }
  });
});
