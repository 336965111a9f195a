import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/core/article.js';
import { orderForFeed } from '../../../functions/core/feeds/order-articles.js';
import { makeArticle } from '../../support/factories.js';

const at = (slug: string, published: string, updated = published, overrides: Partial<Article> = {}) =>
  makeArticle({ slug, published, updated, ...overrides });
const slugsOf = (list: Article[]) => list.map((a) => a.slug);

describe('orderForFeed', () => {
  it.each([
    { case: 'nothing', input: [], expected: [] },
    {
      case: 'oldest first',
      input: [at('old', '2025-01-01T00:00:00.000Z'), at('mid', '2025-02-01T00:00:00.000Z'), at('new', '2025-03-01T00:00:00.000Z')],
      expected: ['new', 'mid', 'old'],
    },
    {
      case: 'the same published time',
      input: [at('b', '2025-01-01T00:00:00.000Z'), at('a-10', '2025-01-01T00:00:00.000Z'), at('a-9', '2025-01-01T00:00:00.000Z')],
      expected: ['a-10', 'a-9', 'b'],
    },
    {
      case: 'offsets other than Z',
      input: [at('utc-nine', '2025-01-01T09:00:00.000Z'), at('plus-two', '2025-01-01T10:00:00+02:00')],
      expected: ['utc-nine', 'plus-two'],
    },
  ])('orders $case newest published first, slug breaking ties', ({ input, expected }) => {
    expect(slugsOf(orderForFeed(input))).toEqual(expected);
  });

  it.each([
    ['first', 0],
    ['last', 1],
  ])('keeps one copy per id, the later-updated one, when it comes %s', (_, position) => {
    const stale = at('story', '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', { title: 'stale' });
    const fresh = { ...stale, updated: '2025-01-05T00:00:00.000Z', title: 'fresh' };
    const input = position === 0 ? [fresh, stale] : [stale, fresh];

    expect(orderForFeed(input).map((a) => a.title)).toEqual(['fresh']);
  });

  it('leaves the input array as it was', () => {
    const input = [at('old', '2025-01-01T00:00:00.000Z'), at('new', '2025-03-01T00:00:00.000Z')];

    orderForFeed(input);

    expect(slugsOf(input)).toEqual(['old', 'new']);
  });
});
