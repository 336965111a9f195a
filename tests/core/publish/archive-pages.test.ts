import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/core/article.js';
import {
  archiveKey,
  archivePageOf,
  archivePagesAt,
  archivePageSize,
  archiveWindow,
  closeFullPages,
  inWindow,
  readArchiveState,
  sortIntoPages,
  writeArchiveState,
} from '../../../functions/core/publish/archive-pages.js';
import { makeArticle } from '../../support/factories.js';

const hour = (h: number) => new Date(Date.UTC(2025, 0, 1, h)).toISOString();
const articlesAt = (...hours: number[]) => hours.map((h) => makeArticle({ published: hour(h), updated: hour(h) }));
/** An article dated `dated` but written (placed) at `placed`: back-dated. */
const backDated = (dated: number, placed: number) => ({
  ...makeArticle({ published: hour(dated), updated: hour(dated) }),
  placed: hour(placed),
});

describe('archive pages', () => {
  it.each([
    [50, 50],
    [10, 10],
    [1000, 50],
    [1, 1],
  ])('holds at most 50 articles, and never more than a feed of %i items does (%i)', (feedItems, size) => {
    expect(archivePageSize(feedItems)).toBe(size);
  });

  it('orders articles by when they appeared, then by date, then by slug', () => {
    const [a, b] = articlesAt(1, 2) as [Article, Article];
    const late = backDated(0, 3);
    expect([late, b, a].map(archiveKey).sort()).toEqual([a, b, late].map(archiveKey));
  });

  it('closes a page for every full set of articles, in the order they appeared, and leaves the rest open', () => {
    const articles = articlesAt(5, 1, 4, 2, 3);
    const { state, closed, open } = closeFullPages({ size: 2, bounds: [] }, articles);

    expect(closed.map((c) => c.articles.map((a) => a.published))).toEqual([
      [hour(1), hour(2)],
      [hour(3), hour(4)],
    ]);
    expect(state.bounds).toEqual([archiveKey(closed[0]!.articles[1]!), archiveKey(closed[1]!.articles[1]!)]);
    expect(open.map((a) => a.published)).toEqual([hour(5)]);
  });

  it('puts exactly `size` articles on a page, even articles that appeared at the same instant', () => {
    const { closed, open } = closeFullPages({ size: 2, bounds: [] }, articlesAt(1, 2, 2, 3));

    expect(closed.map((c) => c.articles.length)).toEqual([2, 2]);
    expect(open).toEqual([]);
  });

  it('never adds to a closed page an article that appears later, however far back it is dated', () => {
    const first = closeFullPages({ size: 2, bounds: [] }, articlesAt(1, 2, 3));
    const late = [backDated(1, 10), backDated(0, 11)];

    const { closed } = closeFullPages(first.state, [...first.open, ...late]);

    expect(closed).toEqual([{ page: 2, articles: expect.any(Array) }]);
    expect(closed[0]!.articles.map((a) => a.published)).toEqual([hour(3), hour(1)]);
    expect(sortIntoPages(first.state, late).get(1)).toBeUndefined();
  });

  it('finds the page that holds a key, and the pages a change at one instant may touch', () => {
    const [a, b, c, d, e] = articlesAt(1, 2, 3, 4, 5);
    const state = closeFullPages({ size: 2, bounds: [] }, [a!, b!, c!, d!]).state;

    expect([a, b, c, d, e].map((x) => archivePageOf(state, archiveKey(x!)))).toEqual([1, 1, 2, 2, undefined]);
    // A page closes at an article of that instant; another article of the same instant may stand on the next page.
    expect(archivePagesAt(state, hour(2))).toEqual([1, 2]);
    expect(archivePagesAt(state, hour(3))).toEqual([2]);
    expect(archivePagesAt(state, hour(6))).toEqual([]);
  });

  it('gives each page the times to ask the store for, and keeps exactly its articles by key', () => {
    const articles = articlesAt(1, 2, 2, 3);
    const state = closeFullPages({ size: 2, bounds: [] }, articles).state;

    const second = archiveWindow(state, 2);
    expect(second).toMatchObject({ before: new Date(hour(3)) });
    expect(second.after!.getTime()).toBeLessThan(Date.parse(hour(2)));
    expect(articles.filter((article) => inWindow(second, article)).map((a) => a.published)).toEqual([hour(2), hour(3)]);
  });

  it('reads a page closed at a bare time, before pages followed placement, as holding everything placed up to it', () => {
    const state = readArchiveState(JSON.stringify({ size: 2, bounds: [hour(2)] }), 2);

    expect(articlesAt(1, 2, 3).map((a) => archivePageOf(state, archiveKey(a)))).toEqual([1, 1, undefined]);
  });

  it.each([
    ['nothing stored', undefined],
    ['not JSON', '{'],
    ['another page size', JSON.stringify({ size: 3, bounds: [hour(1)] })],
    ['bounds out of order', JSON.stringify({ size: 2, bounds: [hour(3), hour(1)] })],
  ])('starts a fresh archive from %s', (_, raw) => {
    expect(readArchiveState(raw, 2)).toEqual({ size: 2, bounds: [] });
  });

  it('reads back what it wrote', () => {
    const state = { size: 2, bounds: articlesAt(1, 3).map(archiveKey), tags: ['news'] };

    expect(readArchiveState(writeArchiveState(state), 2)).toEqual(state);
  });
});
