/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the whole site or one tag, from one model.
 * Pure and deterministic: the same input gives byte-identical feeds, whatever the clock says.
 */
import { renderAtom } from './atom.js';
import { assertFeedInput } from './check-feed-input.js';
import { toFeedModel, type FeedInput } from './feed-model.js';
import { renderJsonFeed } from './json-feed.js';
import { renderRss } from './rss.js';

export type { FeedInput, FeedScope } from './feed-model.js';

export interface BuiltFeeds {
  rss: string;
  atom: string;
  json: string;
}

export const FEED_CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const satisfies Record<keyof BuiltFeeds, string>;

/** Fails with an 'invalid' PressrunError naming every field a feed cannot be built from. */
export function buildFeeds(input: FeedInput): BuiltFeeds {
  assertFeedInput(input);
  const model = toFeedModel(input);
  return { rss: renderRss(model), atom: renderAtom(model), json: renderJsonFeed(model) };
}
