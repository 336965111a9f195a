import { describe, expect, it } from 'vitest';
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

  it('lists the extensions it reads', () => {
    expect(ARTICLE_FILE_EXTENSIONS).toEqual(['.md', '.markdown', '.txt']);
  });
});
