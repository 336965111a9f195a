import { describe, expect, it } from 'vitest';
import { dateFromFileName, extensionOf, fileArticleContext, refuseBodyInFrontMatter } from '../../../functions/core/content/article-file.js';
import { makeSite } from '../../support/factories.js';
import { NOW } from './content-factories.js';

describe('dateFromFileName', () => {
  it.each([
    ['2025-04-22-talks.txt', '2025-04-22'],
    ['content/2025-04-22-talks.txt', '2025-04-22'],
    ['content\\2025-04-22-talks.md', '2025-04-22'],
    ['content/2025-04-22/talks.md', undefined],
    ['talks-2025-04-22.md', undefined],
    ['2025-04-22.md', undefined],
    ['20250422-talks.md', undefined],
  ])('reads %s as %s', (name, date) => {
    expect(dateFromFileName(name)).toBe(date);
  });
});

describe('extensionOf', () => {
  it.each([
    ['a.md', '.md'],
    ['dir.v2/A.MARKDOWN', '.markdown'],
    ['a.tar.txt', '.txt'],
    ['README', ''],
    ['dir.d/README', ''],
  ])('gives %s the extension %j', (name, extension) => {
    expect(extensionOf(name)).toBe(extension);
  });
});

describe('fileArticleContext', () => {
  const ctx = () => ({ site: makeSite(), now: new Date(NOW) });

  it('names the file, requires a date, and uses the file-name date as the default', () => {
    expect(fileArticleContext('content/2025-04-22-x.md', ctx())).toMatchObject({
      source: 'content/2025-04-22-x.md',
      defaults: { published: '2025-04-22' },
      requirePublished: true,
    });
  });

  it('prefers the file-name date over a given default, and keeps the default otherwise', () => {
    const defaults = { published: '2025-01-01' };
    expect(fileArticleContext('2025-04-22-x.md', { ...ctx(), defaults }).defaults).toEqual({ published: '2025-04-22' });
    expect(fileArticleContext('x.md', { ...ctx(), defaults }).defaults).toEqual({ published: '2025-01-01' });
  });

  it('lets the caller drop the date requirement', () => {
    expect(fileArticleContext('x.md', { ...ctx(), requirePublished: false }).requirePublished).toBe(false);
  });
});

describe('refuseBodyInFrontMatter', () => {
  it('accepts front matter without body or html', () => {
    expect(() => refuseBodyInFrontMatter({ title: 'T' }, 'x.md')).not.toThrow();
  });

  it('names each misplaced field and the file', () => {
    expect(() => refuseBodyInFrontMatter({ body: 'a', html: 'b' }, 'x.md')).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^x\.md: /), problems: [expect.objectContaining({ field: 'body' }), expect.objectContaining({ field: 'html' })] }),
    );
  });
});
