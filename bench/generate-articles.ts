/** Deterministic generated articles for benchmarks: same seed, same archive. */
import type { Article } from '../functions/core/article.js';

const WORDS =
  'press run news feed reader digest city council budget river bridge school health market energy transport weather court election library harbour museum festival science'.split(
    ' ',
  );
export const BENCH_TAGS = Array.from({ length: 20 }, (_, i) => `topic-${i + 1}`);

/** A small seeded generator (mulberry32): the same seed, the same sequence. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` articles, one an hour going back from `newest`, each 1–3 tags and ~2 KB of HTML. */
export function generateArticles(count: number, newest: Date, seed = 1): Article[] {
  const random = prng(seed);
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  return Array.from({ length: count }, (_, i) => {
    const slug = `generated-${seed}-${i}`;
    const published = new Date(newest.getTime() - i * 3_600_000).toISOString();
    const paragraphs = Array.from({ length: 4 }, () => sentence(60));
    const tags = [
      ...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => BENCH_TAGS[Math.floor(random() * BENCH_TAGS.length)]!)),
    ];
    return {
      id: `urn:uuid:00000000-0000-5000-8000-${(seed * 1_000_000 + i).toString(16).padStart(12, '0')}`,
      slug,
      title: `${sentence(6)} ${i}`,
      summary: sentence(30),
      html: paragraphs.map((p) => `<p>${p}</p>`).join(''),
      text: paragraphs.join('\n\n'),
      published,
      updated: published,
      authors: [{ name: 'Bench Writer' }],
      tags,
      ...(i % 5 === 0
        ? { image: { url: `https://images.example.com/${slug}.jpg`, alt: `Picture for ${slug}`, type: 'image/jpeg', length: 0 } }
        : {}),
      draft: false,
    };
  });
}
