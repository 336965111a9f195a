/**
 * What every ArticleStore does (functions/core/content/ports.ts), run against DynamoArticleStore
 * on dynalite and against the in-memory fake by tests/adapters/article-store.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Article, StoredArticle } from '../../../functions/core/article.js';
import { RetiredIdError, type ArticleStore } from '../../../functions/core/content/ports.js';
import { collect, rejection } from '../async.js';
import { makeArticle } from '../factories.js';

const at = (iso: string) => new Date(iso);
const slugsOf = (articles: Array<Pick<Article, 'slug'>>) => articles.map((article) => article.slug);

const ARTICLE_FIELDS = new Set([
  'id',
  'slug',
  'title',
  'summary',
  'html',
  'text',
  'published',
  'updated',
  'authors',
  'tags',
  'image',
  'canonicalUrl',
  'draft',
  'email',
  'version',
  'source',
  'sourceHash',
]);

/** @param freshStore an empty store of its own for every test, so feed queries see only that test's articles. */
export function describeArticleStoreContract(name: string, freshStore: () => Promise<ArticleStore>): void {
  describe(`${name} as an ArticleStore: create, get, update, delete`, () => {
    it('creates an article at version 1 and reads back exactly its fields', async () => {
      const store = await freshStore();
      const article = makeArticle({ canonicalUrl: 'https://elsewhere.example.org/original', email: false });

      const created = await store.create({ ...article, source: 'content/a.md', sourceHash: 'sha256:abc' });
      const read = await store.get(article.slug);

      expect(created).toEqual({ ...article, version: 1, source: 'content/a.md', sourceHash: 'sha256:abc' });
      expect(read).toEqual(created);
      expect(Object.keys(read!).filter((field) => !ARTICLE_FIELDS.has(field))).toEqual([]);
    });

    it('returns undefined for a slug it does not have', async () => {
      const store = await freshStore();
      expect(await store.get('no-such-article')).toBeUndefined();
    });

    it('refuses to create a second article with the same slug', async () => {
      const store = await freshStore();
      const article = makeArticle();
      await store.create(article);

      const error = await rejection(store.create({ ...article, title: 'Another' }));

      expect(error.kind).toBe('conflict');
      expect(error.problems).toEqual([expect.objectContaining({ field: 'slug' })]);
      expect((await store.get(article.slug))?.title).toBe(article.title);
    });

    it('refuses to give a second article the id another article holds, naming the holder', async () => {
      const store = await freshStore();
      const first = makeArticle();
      await store.create(first);

      const error = await rejection(store.create(makeArticle({ id: first.id })));

      expect(error.kind).toBe('conflict');
      expect(error.problems).toEqual([{ field: 'id', message: `is the id of the article "${first.slug}"` }]);
    });

    it('never gives the id of a deleted article to another one: it refuses it as retired', async () => {
      const store = await freshStore();
      const gone = makeArticle();
      await store.create(gone);
      await store.delete(gone.slug);

      const error = await rejection(store.create({ ...gone, title: 'Back again' }));

      expect(error).toBeInstanceOf(RetiredIdError);
      expect(error.problems).toEqual([{ field: 'id', message: expect.stringContaining(`deleted article "${gone.slug}"`) }]);
      expect(await store.get(gone.slug)).toBeUndefined();
    });

    it('updates from the current version and increments it by one', async () => {
      const store = await freshStore();
      const article = makeArticle();
      await store.create(article);

      const second = await store.update({ ...article, title: 'Second title' }, 1);
      const third = await store.update({ ...article, title: 'Third title' }, 2);

      expect([second.version, third.version]).toEqual([2, 3]);
      expect(await store.get(article.slug)).toMatchObject({ title: 'Third title', version: 3 });
    });

    it('refuses an update from a stale version and names the current one', async () => {
      const store = await freshStore();
      const article = makeArticle();
      await store.create(article);
      await store.update({ ...article, title: 'Second' }, 1);

      const error = await rejection(store.update({ ...article, title: 'Lost edit' }, 1));

      expect(error.kind).toBe('conflict');
      expect(error.problems).toEqual([{ field: 'version', message: expect.stringContaining('2') }]);
      expect(await store.get(article.slug)).toMatchObject({ title: 'Second', version: 2 });
    });

    it('lets exactly one of two concurrent updates from the same version win', async () => {
      const store = await freshStore();
      const article = makeArticle();
      await store.create(article);

      const results = await Promise.allSettled([
        store.update({ ...article, title: 'Edit A' }, 1),
        store.update({ ...article, title: 'Edit B' }, 1),
      ]);

      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter((result) => result.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict', problems: [{ field: 'version' }] });
      const winner = (won[0] as PromiseFulfilledResult<StoredArticle>).value;
      expect(await store.get(article.slug)).toMatchObject({ title: winner.title, version: 2 });
    });

    it('answers not-found when updating an article that does not exist', async () => {
      const store = await freshStore();
      expect((await rejection(store.update(makeArticle(), 1))).kind).toBe('not-found');
    });

    it('deletes an article and returns what it deleted', async () => {
      const store = await freshStore();
      const article = makeArticle();
      await store.create(article);

      const deleted = await store.delete(article.slug, 1);

      expect(deleted).toEqual({ ...article, version: 1 });
      expect(await store.get(article.slug)).toBeUndefined();
      expect(await store.delete(article.slug)).toBeUndefined();
    });

    it('refuses to delete from a stale version', async () => {
      const store = await freshStore();
      const article = makeArticle();
      await store.create(article);
      await store.update({ ...article, title: 'Second' }, 1);

      const error = await rejection(store.delete(article.slug, 1));

      expect(error).toMatchObject({ kind: 'conflict', problems: [{ field: 'version' }] });
      expect(await store.get(article.slug)).toMatchObject({ version: 2 });
    });
  });

  describe(`${name} as an ArticleStore: list`, () => {
    it('pages through every article, drafts included, in slug order', async () => {
      const store = await freshStore();
      const slugs = ['g', 'c', 'a', 'f', 'b', 'e', 'd'].map((letter) => `list-${letter}`);
      for (const [i, slug] of slugs.entries()) await store.create(makeArticle({ slug, draft: i % 2 === 0 }));

      const first = await store.list({ limit: 3 });
      const second = await store.list({ limit: 3, cursor: first.cursor });
      const third = await store.list({ limit: 3, cursor: second.cursor });

      expect([slugsOf(first.items), slugsOf(second.items), slugsOf(third.items)]).toEqual([
        ['list-a', 'list-b', 'list-c'],
        ['list-d', 'list-e', 'list-f'],
        ['list-g'],
      ]);
      expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(third.cursor).toBeUndefined();
    });

    it('gives no cursor when the page holds the last article exactly', async () => {
      const store = await freshStore();
      for (const slug of ['one', 'two']) await store.create(makeArticle({ slug }));

      const page = await store.list({ limit: 2 });

      expect(page).toEqual({ items: [expect.objectContaining({ slug: 'one' }), expect.objectContaining({ slug: 'two' })] });
    });

    it('returns an empty page from an empty store', async () => {
      const store = await freshStore();
      expect(await store.list({ limit: 10 })).toEqual({ items: [] });
    });

    it.each([
      { name: 'not base64url', cursor: '!!!' },
      { name: 'base64url of plain text', cursor: Buffer.from('hello').toString('base64url') },
      { name: 'JSON of the wrong shape', cursor: Buffer.from(JSON.stringify({ pk: 'ARTICLE' })).toString('base64url') },
    ])('rejects a cursor that is $name', async ({ cursor }) => {
      const store = await freshStore();

      const error = await rejection(store.list({ limit: 3, cursor }));

      expect(error).toMatchObject({ kind: 'invalid', problems: [{ field: 'cursor' }] });
    });

    it.each([0, -1, 1.5, 1_001])('rejects a limit of %s', async (limit) => {
      const store = await freshStore();
      expect(await rejection(store.list({ limit }))).toMatchObject({ kind: 'invalid', problems: [{ field: 'limit' }] });
    });
  });

  describe(`${name} as an ArticleStore: latest`, () => {
    async function storeWithDatedArticles() {
      const store = await freshStore();
      const articles = {
        jan: makeArticle({ slug: 'jan', published: '2025-01-15T08:00:00.000Z', tags: ['news', 'feeds'] }),
        feb: makeArticle({ slug: 'feb', published: '2025-02-15T08:00:00.000Z', tags: ['news'] }),
        mar: makeArticle({ slug: 'mar', published: '2025-03-15T08:00:00.000Z', tags: ['feeds'] }),
        aprDraft: makeArticle({ slug: 'apr-draft', published: '2025-04-15T08:00:00.000Z', tags: ['news', 'feeds'], draft: true }),
        may: makeArticle({ slug: 'may', published: '2025-05-15T08:00:00.000Z', tags: ['news', 'feeds'] }),
      };
      // Created out of date order on purpose.
      for (const article of [articles.mar, articles.jan, articles.may, articles.aprDraft, articles.feb]) await store.create(article);
      return { store, articles };
    }

    it.each([
      {
        case: 'everything up to now, newest first, drafts left out',
        options: { limit: 10, before: at('2025-12-31T00:00:00Z') },
        expected: ['may', 'mar', 'feb', 'jan'],
      },
      {
        case: 'future-dated articles left out by `before`',
        options: { limit: 10, before: at('2025-04-01T00:00:00Z') },
        expected: ['mar', 'feb', 'jan'],
      },
      { case: '`before` inclusive', options: { limit: 10, before: at('2025-03-15T08:00:00.000Z') }, expected: ['mar', 'feb', 'jan'] },
      {
        case: '`after` exclusive',
        options: { limit: 10, before: at('2025-12-31T00:00:00Z'), after: at('2025-02-15T08:00:00.000Z') },
        expected: ['may', 'mar'],
      },
      { case: 'at most `limit`', options: { limit: 2, before: at('2025-12-31T00:00:00Z') }, expected: ['may', 'mar'] },
      { case: 'only one tag', options: { limit: 10, before: at('2025-12-31T00:00:00Z'), tag: 'feeds' }, expected: ['may', 'mar', 'jan'] },
      {
        case: 'a tag, a window and a limit',
        options: { limit: 1, before: at('2025-04-01T00:00:00Z'), after: at('2025-01-01T00:00:00Z'), tag: 'news' },
        expected: ['feb'],
      },
      { case: 'nothing for an unknown tag', options: { limit: 10, before: at('2025-12-31T00:00:00Z'), tag: 'unknown' }, expected: [] },
      {
        case: 'nothing for an empty window',
        options: { limit: 10, before: at('2025-01-01T00:00:00Z'), after: at('2025-06-01T00:00:00Z') },
        expected: [],
      },
    ])('finds $case', async ({ options, expected }) => {
      const { store } = await storeWithDatedArticles();
      expect(slugsOf(await store.latest(options))).toEqual(expected);
    });

    it('orders by placement: an article written late for an old date comes when it was written', async () => {
      const { store } = await storeWithDatedArticles();
      const old = makeArticle({ slug: 'old-news', published: '2024-06-01T08:00:00.000Z', tags: ['news'] });
      await store.create({ ...old, placed: '2025-04-01T00:00:00.000Z' });

      const latest = async (before: string) => (await store.latest({ limit: 10, before: at(before) })).map((a) => a.slug);

      expect(await latest('2025-12-31T00:00:00Z')).toEqual(['may', 'old-news', 'mar', 'feb', 'jan']);
      expect(await latest('2025-03-31T00:00:00Z')).toEqual(['mar', 'feb', 'jan']);
      expect(await store.get('old-news')).toMatchObject({ published: '2024-06-01T08:00:00.000Z', placed: '2025-04-01T00:00:00.000Z' });
    });

    it('keeps the placement of an article through an edit, and moves it only when its date moves past it', async () => {
      const store = await freshStore();
      const old = makeArticle({ slug: 'kept', published: '2024-06-01T08:00:00.000Z' });
      const placed = await store.create({ ...old, placed: '2025-04-01T00:00:00.000Z' });
      const edited = await store.update({ ...placed, title: 'Edited' }, 1);
      expect(edited.placed).toBe('2025-04-01T00:00:00.000Z');
      const moved = await store.update({ ...edited, placed: undefined, published: '2025-05-01T00:00:00.000Z' }, 2);
      expect(moved).toMatchObject({ published: '2025-05-01T00:00:00.000Z' });
      expect(moved.placed ?? moved.published).toBe('2025-05-01T00:00:00.000Z');
    });

    it('returns whole articles and nothing else', async () => {
      const { store, articles } = await storeWithDatedArticles();

      const [newest] = await store.latest({ limit: 1, before: at('2025-12-31T00:00:00Z') });

      expect(newest).toEqual({ ...articles.may, version: 1 });
    });

    const everything = { limit: 10, before: at('2030-01-01T00:00:00Z') };

    it('moves an article between tag feeds when its tags change', async () => {
      const { store, articles } = await storeWithDatedArticles();

      await store.update({ ...articles.feb, tags: ['feeds', 'release'] }, 1);

      expect(slugsOf(await store.latest({ ...everything, tag: 'news' }))).toEqual(['may', 'jan']);
      expect(slugsOf(await store.latest({ ...everything, tag: 'feeds' }))).toEqual(['may', 'mar', 'feb', 'jan']);
      expect(slugsOf(await store.latest({ ...everything, tag: 'release' }))).toEqual(['feb']);
    });

    it('moves an article in every feed when its date changes', async () => {
      const { store, articles } = await storeWithDatedArticles();

      await store.update({ ...articles.jan, published: '2025-06-01T00:00:00.000Z' }, 1);

      expect(slugsOf(await store.latest(everything))).toEqual(['jan', 'may', 'mar', 'feb']);
      expect(slugsOf(await store.latest({ ...everything, tag: 'feeds' }))).toEqual(['jan', 'may', 'mar']);
    });

    it('drops an article from every feed when it turns into a draft', async () => {
      const { store, articles } = await storeWithDatedArticles();

      await store.update({ ...articles.may, draft: true }, 1);

      expect(slugsOf(await store.latest(everything))).toEqual(['mar', 'feb', 'jan']);
      expect(slugsOf(await store.latest({ ...everything, tag: 'feeds' }))).toEqual(['mar', 'jan']);
    });

    it('adds a draft to every feed when it is published', async () => {
      const { store, articles } = await storeWithDatedArticles();

      await store.update({ ...articles.aprDraft, draft: false }, 1);

      expect(slugsOf(await store.latest(everything))).toEqual(['may', 'apr-draft', 'mar', 'feb', 'jan']);
      expect(slugsOf(await store.latest({ ...everything, tag: 'news' }))).toEqual(['may', 'apr-draft', 'feb', 'jan']);
    });

    it('drops a deleted article from every feed', async () => {
      const { store, articles } = await storeWithDatedArticles();

      await store.delete(articles.may.slug);

      expect(slugsOf(await store.latest(everything))).toEqual(['mar', 'feb', 'jan']);
      expect(slugsOf(await store.latest({ ...everything, tag: 'feeds' }))).toEqual(['mar', 'jan']);
    });
  });

  describe(`${name} as an ArticleStore: allPublished`, () => {
    it('yields every published article newest first, over more than one page', async () => {
      const store = await freshStore();
      const published = Array.from({ length: 230 }, (_, i) =>
        makeArticle({
          slug: `bulk-${String(i).padStart(3, '0')}`,
          published: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
        }),
      );
      const drafts = [makeArticle({ draft: true, published: '2024-03-01T12:00:00.000Z' })];
      const future = [makeArticle({ published: '2031-01-01T00:00:00.000Z' })];
      for (const article of [...published, ...drafts, ...future]) await store.create(article);

      const pages = await collect(store.allPublished(at('2030-01-01T00:00:00Z')));

      expect(pages.length).toBeGreaterThan(1);
      expect(pages.flat().map((article) => article.slug)).toEqual(slugsOf(published).reverse());
    });

    it('includes an article published exactly at `before`, and leaves out one a millisecond later', async () => {
      const store = await freshStore();
      await store.create(makeArticle({ slug: 'on-time', published: '2025-05-01T08:00:00.000Z' }));
      await store.create(makeArticle({ slug: 'just-late', published: '2025-05-01T08:00:00.001Z' }));

      const pages = await collect(store.allPublished(at('2025-05-01T08:00:00.000Z')));

      expect(slugsOf(pages.flat())).toEqual(['on-time']);
    });

    it('yields nothing from an empty store', async () => {
      const store = await freshStore();
      expect(await collect(store.allPublished(at('2030-01-01T00:00:00Z')))).toEqual([]);
    });

    it('yields each article without its body: every other field as stored, html and text left unread', async () => {
      const store = await freshStore();
      const placedLater = {
        ...makeArticle({ slug: 'placed-later', published: '2025-04-01T08:00:00.000Z' }),
        placed: '2025-04-02T08:00:00.000Z',
      };
      const everyField = {
        ...makeArticle({
          slug: 'every-field',
          published: '2025-04-03T08:00:00.000Z',
          image: { url: 'https://images.example.com/a.jpg', alt: 'A picture', type: 'image/jpeg', length: 1234 },
          canonicalUrl: 'https://elsewhere.example.com/a',
          email: false,
        }),
        source: 'content/every-field.md',
        sourceHash: 'abc123',
      };
      // Over the size a body is stored gzipped at (COMPRESS_BODY_ABOVE_BYTES): neither layout of a body is read.
      const x = 'x'.repeat(70_000);
      const large = makeArticle({ slug: 'large-body', published: '2025-04-04T08:00:00.000Z', html: `<p>${x}</p>`, text: x });
      for (const article of [placedLater, everyField, large]) await store.create(article);

      const heads = (await collect(store.allPublished(at('2030-01-01T00:00:00Z')))).flat();

      const stored = await Promise.all(['large-body', 'every-field', 'placed-later'].map(async (slug) => (await store.get(slug))!));
      expect(heads).toStrictEqual(stored.map(({ html: _html, text: _text, ...head }) => head));
    });
  });

  describe(`${name} as an ArticleStore: change markers`, () => {
    it('marks a created article as changed with its tags', async () => {
      const store = await freshStore();
      const article = makeArticle({ tags: ['b', 'a'] });

      await store.create(article);

      expect(await store.pendingChanges()).toEqual([
        { slug: article.slug, tags: ['a', 'b'], published: [article.published], token: expect.any(String) },
      ]);
    });

    it('keeps the union of old and new tags across changes', async () => {
      const store = await freshStore();
      const article = makeArticle({ tags: ['a', 'b'] });
      await store.create(article);

      await store.update({ ...article, tags: ['c'] }, 1);

      expect(await store.pendingChanges()).toEqual([
        { slug: article.slug, tags: ['a', 'b', 'c'], published: [article.published], token: expect.any(String) },
      ]);
    });

    it('keeps every published date an article had, so a publish finds the archive pages that held it', async () => {
      const store = await freshStore();
      const article = makeArticle({ published: '2025-01-15T08:00:00.000Z', updated: '2025-01-15T08:00:00.000Z' });
      await store.create(article);

      await store.update({ ...article, published: '2025-03-01T08:00:00.000Z', updated: '2025-03-01T08:00:00.000Z' }, 1);

      expect((await store.pendingChanges())[0]!.published).toEqual(['2025-01-15T08:00:00.000Z', '2025-03-01T08:00:00.000Z']);
    });

    it('marks an article without tags, and a deleted article with the tags it had', async () => {
      const store = await freshStore();
      const untagged = makeArticle({ slug: 'untagged', tags: [] });
      const removed = makeArticle({ slug: 'removed', tags: ['gone'] });
      await store.create(untagged);
      await store.create(removed);
      await store.clearChanges(await store.pendingChanges());

      await store.delete(removed.slug);

      expect(await store.pendingChanges()).toEqual([
        { slug: 'removed', tags: ['gone'], published: [removed.published], token: expect.any(String) },
      ]);
      await store.update({ ...untagged, title: 'Retitled' }, 1);
      expect(await store.pendingChanges()).toContainEqual({
        slug: 'untagged',
        tags: [],
        published: [untagged.published],
        token: expect.any(String),
      });
    });

    it('clears the markers it read, but keeps one touched again after it was read', async () => {
      const store = await freshStore();
      const quiet = makeArticle({ slug: 'quiet', tags: ['x'] });
      const busy = makeArticle({ slug: 'busy', tags: ['y'] });
      await store.create(quiet);
      await store.create(busy);
      const read = await store.pendingChanges();

      await store.update({ ...busy, tags: ['z'] }, 1);
      await store.clearChanges(read);

      expect(await store.pendingChanges()).toEqual([
        { slug: 'busy', tags: ['y', 'z'], published: [busy.published], token: expect.any(String) },
      ]);
    });

    it('clears nothing when given markers that are already gone', async () => {
      const store = await freshStore();
      await store.create(makeArticle());
      const read = await store.pendingChanges();
      await store.clearChanges(read);

      await expect(store.clearChanges(read)).resolves.toBeUndefined();
      expect(await store.pendingChanges()).toEqual([]);
    });
  });
}
