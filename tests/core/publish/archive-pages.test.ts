import { describe, expect, it } from 'vitest';
import {
  archivePageOf,
  archivePageSize,
  archiveWindow,
  closeFullPages,
  readArchiveState,
  sortIntoPages,
  writeArchiveState,
} from '../../../functions/core/publish/archive-pages.js';
import { makeArticle } from '../../support/factories.js';

const hour = (h: number) => new Date(Date.UTC(2025, 0, 1, h)).toISOString();
const articlesAt = (...hours: number[]) => hours.map((h) => makeArticle({ published: hour(h), updated: hour(h) }));

describe('archive pages', () => {
  it.each([
    [50, 50],
    [10, 10],
    [1000, 50],
    [1, 1],
  ])('holds at most 50 articles, and never more than a feed of %i items does (%i)', (feedItems, size) => {
    expect(archivePageSize(feedItems)).toBe(size);
  });

  it('closes a page for every full set of articles, oldest first, and leaves the rest open', () => {
    const { state, closed, open } = closeFullPages({ size: 2, bounds: [] }, articlesAt(5, 1, 4, 2, 3));

    expect(state.bounds).toEqual([hour(2), hour(4)]);
    expect(closed.map((c) => c.articles.map((a) => a.published))).toEqual([
      [hour(1), hour(2)],
      [hour(3), hour(4)],
    ]);
    expect(open.map((a) => a.published)).toEqual([hour(5)]);
  });

  it('keeps articles published at the same instant on one page, even when that makes it fuller', () => {
    const { closed } = closeFullPages({ size: 2, bounds: [] }, articlesAt(1, 2, 2, 3));

    expect(closed.map((c) => c.articles.length)).toEqual([3]);
  });

  it('closes only articles after the last bound, numbering new pages after the old ones', () => {
    const { closed } = closeFullPages({ size: 2, bounds: [hour(2)] }, articlesAt(1, 2, 3, 4));

    expect(closed).toEqual([{ page: 2, articles: expect.any(Array) }]);
    expect(closed[0]!.articles.map((a) => a.published)).toEqual([hour(3), hour(4)]);
  });

  it.each([
    [hour(1), 1],
    [hour(2), 1],
    [hour(3), 2],
    [hour(4), 2],
    [hour(5), undefined],
  ])('finds the page whose window holds %s: %s', (date, page) => {
    expect(archivePageOf({ size: 2, bounds: [hour(2), hour(4)] }, date)).toBe(page);
  });

  it('gives each page the window ArticleStore.latest takes: after the previous bound, up to its own', () => {
    const state = { size: 2, bounds: [hour(2), hour(4)] };

    expect(archiveWindow(state, 1)).toEqual({ before: new Date(hour(2)) });
    expect(archiveWindow(state, 2)).toEqual({ after: new Date(hour(2)), before: new Date(hour(4)) });
  });

  it('sorts articles into their pages and leaves the open region out', () => {
    const pages = sortIntoPages({ size: 2, bounds: [hour(2), hour(4)] }, articlesAt(1, 3, 5));

    expect([...pages.keys()]).toEqual([1, 2]);
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
    const state = { size: 2, bounds: [hour(1), hour(3)], tags: ['news'] };

    expect(readArchiveState(writeArchiveState(state), 2)).toEqual(state);
  });
});
