/** Builds and writes one chunk of a full publish (full-context.ts), and the objects that link to everything. */
import { mapWithConcurrency } from '../concurrency.js';
import { allInWindow } from '../content/articles-in-window.js';
import { feedError, feedFailures } from '../feeds/validate/validate-feeds.js';
import type { OutputObject } from '../site.js';
import { archiveKey, inWindow, windowQuery, type ArchiveState } from './archive-pages.js';
import { archiveOutputs, articleOutputs, articleSitemapOutput, sitemapIndexOutputs, siteOutputs, tagOutputs } from './build-outputs.js';
import type { ChunkWriter } from './chunk-writer.js';
import type { ChunkSpec, FullPublishInput, PageWindow, Scopes } from './full-context.js';

/** Pages built and written at once: enough to keep the writes busy, few enough to bound memory. */
export const PAGES_IN_FLIGHT = 4;

export async function runChunk(input: FullPublishInput, spec: ChunkSpec, writer: ChunkWriter): Promise<void> {
  if (spec.kind === 'open') return writeGated(input, writer, [() => openRegionOutputs(input, spec.since)]);
  const build =
    spec.kind === 'site'
      ? (window: PageWindow) => () => sitePageOutputs(input, window, spec.newestPage)
      : (window: PageWindow) => () => tagPageOutputs(input, spec.tag, window, spec.newestPage);
  await writeGated(input, writer, spec.pages.map(build));
}

/**
 * Objects compared with the manifest and written together, at least: a tag's archive page is
 * three feeds, and written alone each would cost the manifest's read and its two writes for
 * three entries where one request takes 25.
 */
export const WRITE_TOGETHER = 25;

/** Builds and writes pieces a few at a time, each passing the gate first; every one is written when it returns. */
export async function writeGated(input: FullPublishInput, writer: ChunkWriter, pieces: Array<() => Promise<OutputObject[]>>) {
  const waiting: OutputObject[] = [];
  await mapWithConcurrency(pieces, PAGES_IN_FLIGHT, async (build) => {
    waiting.push(...(await gated(input, build)));
    if (waiting.length >= WRITE_TOGETHER) await writer.write(waiting.splice(0));
  });
  if (waiting.length > 0) await writer.write(waiting);
}

/** An article that breaks a rule is left out and the piece built again; anything else that breaks one stops the publish. */
async function gated(input: FullPublishInput, build: () => Promise<OutputObject[]>): Promise<OutputObject[]> {
  const options = { site: input.site, now: input.now };
  const first = await build();
  const failures = feedFailures(first, options);
  if (failures.length === 0) return first;
  if (failures.some((f) => f.problem.slug === undefined)) throw feedError(failures);
  for (const { problem } of failures) input.leftOut.add(problem.slug!, `breaks ${problem.rule}: ${problem.message}`);
  const again = await build();
  const remaining = feedFailures(again, options);
  if (remaining.length > 0) throw feedError(remaining);
  return again;
}

/** A closed page of the site's archive: its articles' pages, its feeds and its sitemap. */
async function sitePageOutputs(input: FullPublishInput, window: PageWindow, newestPage: number): Promise<OutputObject[]> {
  const articles = await articlesOfPage(input, undefined, window);
  return [
    ...articles.flatMap((article) => articleOutputs(input.site, article)),
    ...archiveOutputs(input.site, undefined, window.page, articles, newestPage, input.emptyUpdated),
    articleSitemapOutput(input.site, window.page, articles),
  ];
}

/** The articles in no closed page yet (after `since`, the last page's bound): their pages and the latest sitemap. */
async function openRegionOutputs(input: FullPublishInput, since: string | undefined): Promise<OutputObject[]> {
  const from = since === undefined ? undefined : windowQuery({ low: since, high: since }).after;
  const open = (await allInWindow(input.articles, { before: input.now, ...(from ? { after: from } : {}) })).filter(
    (article) => since === undefined || archiveKey(article) > since,
  );
  return [...open.flatMap((article) => articleOutputs(input.site, article)), articleSitemapOutput(input.site, 'latest', open)];
}

async function tagPageOutputs(input: FullPublishInput, tag: string, window: PageWindow, newestPage: number): Promise<OutputObject[]> {
  const articles = await articlesOfPage(input, tag, window);
  return archiveOutputs(input.site, tag, window.page, articles, newestPage, input.emptyUpdated);
}

/** A tag's page, feeds and feed page, from its latest articles. */
export async function tagTopOutputs(input: FullPublishInput, tag: string, state: ArchiveState): Promise<OutputObject[]> {
  const latest = await input.articles.latest({ limit: input.site.feedItemLimit, before: input.now, tag });
  return tagOutputs(input.site, tag, latest, input.emptyUpdated, { newestPage: state.bounds.length });
}

/** The home page, the site's feeds, the sitemap index and the site-wide pieces. */
export async function siteTopOutputs(input: FullPublishInput, scopes: Scopes): Promise<OutputObject[]> {
  const latest = await input.articles.latest({ limit: input.site.feedItemLimit, before: input.now });
  return [
    ...siteOutputs(input.site, latest, input.emptyUpdated, { newestPage: scopes.site.bounds.length }),
    ...sitemapIndexOutputs(input.site, scopes.site.bounds.length, [...scopes.tags.keys()]),
  ];
}

async function articlesOfPage(input: FullPublishInput, tag: string | undefined, window: PageWindow) {
  const query = { ...windowQuery(window), ...(tag === undefined ? {} : { tag }) };
  return (await allInWindow(input.articles, query)).filter((article) => inWindow(window, article));
}
