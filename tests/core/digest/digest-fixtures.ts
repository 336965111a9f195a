/** Articles that fill a digest to its limits, built on the one article factory. */
import type { Article } from '../../../functions/core/article.js';
import { makeArticle } from '../../support/factories.js';

const LONG_SUMMARY =
  'A summary that goes on at length about what the article covers, so the card has to cut it somewhere sensible. '.repeat(12);

/** `count` articles one day apart (the first is the oldest), with images and long summaries. */
export function longArticles(count: number, overrides: Partial<Article> = {}): Article[] {
  return Array.from({ length: count }, (_, i) => {
    const published = new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString();
    return makeArticle({
      slug: `a-fairly-long-article-slug-number-${i}`,
      title: `A fairly long article title that keeps going for a while, number ${i}`,
      summary: LONG_SUMMARY,
      html: `<p>${LONG_SUMMARY}</p>`.repeat(30),
      published,
      updated: published,
      image: { url: `https://cdn.example.com/images/${i}/a-hero-image-with-a-long-name.jpg`, alt: `Hero image ${i}` },
      ...overrides,
    });
  });
}
