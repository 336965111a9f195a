import { describe, expect, it } from 'vitest';
import { importArticles, type ArticleFile } from '../../../functions/core/content/import-articles.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { InMemoryArticleStore } from '../../support/fakes/article-store.js';

async function freshImport() {
  const articles = new InMemoryArticleStore();
  const run = (files: ArticleFile[]) =>
    importArticles(files, { articles, site: makeSite(), now: new Date('2025-06-01T00:00:00Z') }, { prefix: 'content/' });
  return { articles, run };
}

const markdown = (title: string, body = 'Text.') => ({ name: 'content/2025-04-22-note.md', text: `---\ntitle: ${title}\n---\n${body}\n` });

describe('importArticles', () => {
  it('creates an article per file, and does nothing for files that did not change', async () => {
    const { run } = await freshImport();
    expect(await run([markdown('First note')])).toMatchObject({ created: ['first-note'], updated: [], unchanged: [] });
    expect(await run([markdown('First note')])).toMatchObject({ created: [], updated: [], unchanged: ['first-note'] });
  });

  it('refuses a file whose feeds the gate would refuse, naming the file and the field, and imports the rest', async () => {
    const { run } = await freshImport();
    const report = await run([
      markdown('First note'),
      { name: 'content/2025-04-23-late.md', text: '---\ntitle: Late\nupdated: 2099-01-01\n---\nText.\n' },
    ]);
    expect(report.created).toEqual(['first-note']);
    expect(report.failed.map(({ file, error }) => ({ file, fields: error.problems.map((p) => p.field) }))).toEqual([
      { file: 'content/2025-04-23-late.md', fields: ['updated'] },
    ]);
  });

  it('keeps the slug and id of an edited file even when its title changes', async () => {
    const { articles, run } = await freshImport();
    await run([markdown('First note')]);
    const before = await articles.get('first-note');
    expect(await run([markdown('A better title', 'New text.')])).toMatchObject({ updated: ['first-note'] });
    const after = await articles.get('first-note');
    expect(after).toMatchObject({ id: before!.id, title: 'A better title', version: 2 });
    expect(await articles.get('a-better-title')).toBeUndefined();
  });

  it('deletes the article of a file that is gone, and leaves articles from the API alone', async () => {
    const { articles, run } = await freshImport();
    await run([markdown('First note')]);
    const fromApi = await articles.create({
      ...(await articles.get('first-note'))!,
      slug: 'from-the-api',
      id: 'urn:uuid:5f0c4d4e-0000-5000-8000-000000000001',
      source: undefined,
      sourceHash: undefined,
    });
    expect(await run([])).toMatchObject({ deleted: ['first-note'] });
    expect(await articles.get('first-note')).toBeUndefined();
    expect(await articles.get(fromApi.slug)).toBeDefined();
  });

  it('tells a file whose slug another article holds which one, and how to give it its own (a title that recurs, as a daily column)', async () => {
    const { articles, run } = await freshImport();
    await articles.create(makeArticle({ slug: 'from-the-api' }));
    const column = (name: string, title: string) => ({ name, text: `---\ntitle: ${title}\n---\nText.\n` });
    const report = await run([
      column('content/2025-04-22-weather.md', 'Weather update'),
      column('content/2025-04-23-weather.md', 'Weather update'),
      column('content/2025-04-24-api.md', 'From the API'),
    ]);
    expect(report.created).toEqual(['weather-update']);
    expect(report.failed.map(({ file, error }) => [file, error.kind, error.message, error.problems])).toEqual([
      [
        'content/2025-04-23-weather.md',
        'conflict',
        'content/2025-04-23-weather.md: the slug "weather-update" is taken by content/2025-04-22-weather.md: give this article a slug of its own, e.g. slug: weather-update-2025-04-23',
        [{ field: 'slug', message: 'is taken by content/2025-04-22-weather.md' }],
      ],
      [
        'content/2025-04-24-api.md',
        'conflict',
        'content/2025-04-24-api.md: the slug "from-the-api" is taken by an article written through the API: give this article a slug of its own, e.g. slug: from-the-api-2025-04-24',
        [{ field: 'slug', message: 'is taken by an article written through the API' }],
      ],
    ]);
  });

  it('reports a bad file by name and field and still imports the others', async () => {
    const { run } = await freshImport();
    const report = await run([{ name: 'content/undated.md', text: '---\ntitle: No date here\n---\nText.\n' }, markdown('Good one')]);
    expect(report.created).toEqual(['good-one']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.file).toBe('content/undated.md');
    expect(report.failed[0]!.error.message).toContain('content/undated.md');
    expect(report.failed[0]!.error.problems.map((p) => p.field)).toContain('published');
  });
});
