import { describe, expect, it } from 'vitest';
import { articleFileFromBytes } from '../../../functions/core/content/article-file.js';
import { ARTICLE_FILE_EXTENSIONS, parseArticleFile } from '../../../functions/core/content/parse-file.js';
import { PressrunError } from '../../../functions/core/errors.js';
import { makeSite } from '../../support/factories.js';
import { NOW } from './content-factories.js';

const ctx = () => ({ site: makeSite(), now: new Date(NOW) });
const TEXT = '---\ntitle: Harbour\n---\nThe **harbour** reopened.\n';

describe('parseArticleFile', () => {
  it.each([
    ['content/2025-04-22-a.md', '<p>The <strong>harbour</strong> reopened.</p>\n'],
    ['content/2025-04-22-a.markdown', '<p>The <strong>harbour</strong> reopened.</p>\n'],
    ['content/2025-04-22-a.MD', '<p>The <strong>harbour</strong> reopened.</p>\n'],
    ['content/2025-04-22-a.txt', '<p>The **harbour** reopened.</p>'],
  ])('parses %s by its extension', (name, html) => {
    expect(parseArticleFile({ name, text: TEXT }, ctx()).html).toBe(html);
  });

  it.each([['content/2025-04-22-a.html'], ['content/2025-04-22-a.docx'], ['content/README'], ['content/.md.bak']])(
    'refuses %s as an unsupported file, naming it',
    (name) => {
      let error: unknown;
      try {
        parseArticleFile({ name, text: TEXT }, ctx());
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PressrunError);
      expect(error).toMatchObject({ kind: 'unsupported-media-type', problems: [{ field: 'file' }] });
      expect((error as PressrunError).message.startsWith(`${name}: `)).toBe(true);
    },
  );

  it('refuses a file saved in another encoding than UTF-8, naming the file, the byte and where it is', () => {
    // "café" saved as Latin-1 (Windows-1252): é is the single byte 0xE9, which UTF-8 never has alone.
    const bytes = Buffer.concat([Buffer.from('---\ntitle: Le caf'), Buffer.from([0xe9]), Buffer.from('\n---\nText.\n')]);
    let error: unknown;
    try {
      parseArticleFile(articleFileFromBytes('content/2025-04-22-cafe.md', bytes), ctx());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PressrunError);
    expect(error).toMatchObject({ kind: 'invalid', problems: [{ field: 'file', message: expect.stringMatching(/UTF-8/) }] });
    expect((error as PressrunError).message).toBe(
      'content/2025-04-22-cafe.md: has the byte 0xE9 at line 2, column 14, which is not UTF-8: save the file as UTF-8',
    );
  });

  it('reads a UTF-8 file, a replacement character it holds included', () => {
    const file = articleFileFromBytes('content/2025-04-22-a.md', Buffer.from('---\ntitle: Caf\u00e9 \ufffd\n---\nText.\n'));
    expect(parseArticleFile(file, ctx()).title).toBe('Caf\u00e9 \ufffd');
  });

  it('finds a byte that is not UTF-8 after 300,000 real replacement characters at once (900 KB, as an API body may be)', () => {
    const bytes = Buffer.concat([Buffer.from('\ufffd'.repeat(300_000)), Buffer.from([0xe9])]);
    expect(articleFileFromBytes('request body', bytes).notUtf8).toEqual({ byte: 0xe9, line: 1, column: 300_001 });
  }, 5_000);

  it('lists the extensions it reads', () => {
    expect(ARTICLE_FILE_EXTENSIONS).toEqual(['.md', '.markdown', '.txt']);
  });
});
