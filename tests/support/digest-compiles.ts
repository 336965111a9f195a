/**
 * Counts the MJML compiles behind one digest each, in the MJML module itself (bench/support/
 * count-mjml-hooks.mjs): run by tests/core/digest/digest-compiles.test.ts in a process of its
 * own, so no test file's modules are hooked. Prints one line of JSON: for each digest, its
 * compiles, the articles it carried and its HTML bytes.
 *
 *   node --import tsx tests/support/digest-compiles.ts
 */
import { register } from 'node:module';

register('../../bench/support/count-mjml-hooks.mjs', import.meta.url);
const compiles = () => (globalThis as { __pressrunMjmlCompiles?: number }).__pressrunMjmlCompiles ?? 0;

const { renderDigest } = await import('../../functions/core/digest/render-digest.js');
const { makeArticles, makeSite } = await import('./factories.js');
const { digestTemplate } = await import('./templates.js');
const { longArticles } = await import('../core/digest/digest-fixtures.js');

const site = makeSite({ digestArticleLimit: 20 });
const template = digestTemplate();
const measured: Record<string, { compiles: number; carried: number; bytes: number; full: boolean }> = {};

async function measure(name: string, count: number, htmlBudgetBytes?: number, format?: 'full', short = false) {
  const before = compiles();
  const digest = await renderDigest({
    site,
    id: name,
    createdAt: '2025-06-01T12:00:00.000Z',
    articles: short ? makeArticles(count) : longArticles(count),
    template,
    ...(htmlBudgetBytes ? { htmlBudgetBytes } : {}),
    ...(format ? { format } : {}),
  });
  measured[name] = {
    compiles: compiles() - before,
    carried: digest.articleSlugs.length,
    bytes: Buffer.byteLength(digest.html),
    full: digest.format === 'full',
  };
}

await measure('twenty', 20);
await measure('twentyAndFiveListed', 25);
await measure('twoHundred', 200);
await measure('sixtyIn20k', 60, 20_000);
await measure('threeInFull', 3, undefined, 'full', true);
await measure('twentyInFull', 20, undefined, 'full');
console.log(JSON.stringify(measured));
