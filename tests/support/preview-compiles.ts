/**
 * Counts the MJML compiles behind digest previews, in the MJML module itself (bench/support/
 * count-mjml-hooks.mjs, as the delivery bench counts them): run by tests/wiring/preview.test.ts
 * in a process of its own, so no test file's modules are hooked. Prints one line of JSON: the
 * running count of compiles after each step, and how many different previews were shown.
 *
 *   node --import tsx tests/support/preview-compiles.ts
 */
import { register } from 'node:module';

register('../../bench/support/count-mjml-hooks.mjs', import.meta.url);
const compiles = () => (globalThis as { __pressrunMjmlCompiles?: number }).__pressrunMjmlCompiles ?? 0;

const { createPublishing } = await import('../../functions/wiring/publishing.js');
const { makeArticle, makeSite } = await import('./factories.js');
const { InMemoryArticleStore } = await import('./fakes/article-store.js');
const { InMemoryDigestStore } = await import('./fakes/digest-store.js');
const { InMemoryManifestStore } = await import('./fakes/manifest-store.js');
const { InMemoryObjectStore } = await import('./fakes/object-store.js');
const { InMemoryPublishRunStore } = await import('./fakes/publish-run-store.js');
const { digestTemplate } = await import('./templates.js');

const articles = new InMemoryArticleStore();
const stores = {
  articles,
  digests: new InMemoryDigestStore(),
  manifest: new InMemoryManifestStore(),
  runs: new InMemoryPublishRunStore(),
  objects: new InMemoryObjectStore(),
};
// The fakes hold to the ports the Dynamo stores implement (tests/support/contracts); createPublishing names the classes.
const publishing = createPublishing(makeSite(), stores as unknown as Parameters<typeof createPublishing>[1], {
  digestTemplate: digestTemplate(),
});
const now = new Date('2025-06-01T12:00:00.000Z');
const htmls: string[] = [];
const preview = async () => htmls.push((await publishing.previewDigest(now))!.html);

const first = await articles.create(makeArticle({ title: 'Bridge reopens' }));
const steps: Record<string, number> = {};
for (let i = 0; i < 10; i++) await preview();
steps.tenCalls = compiles();
await Promise.all(Array.from({ length: 5 }, preview));
steps.fiveAtOnce = compiles();
await articles.create(makeArticle({ title: 'Library extends its hours' }));
await preview();
await preview();
steps.newArticle = compiles();
await articles.update({ ...first, title: 'Bridge reopens, at last' }, first.version);
await preview();
steps.edited = compiles();

const distinct = [...new Set(htmls)];
console.log(JSON.stringify({ steps, previews: distinct.length, lastShowsEdit: distinct.at(-1)!.includes('Bridge reopens, at last') }));
