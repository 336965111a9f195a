/**
 * JSON Feed 1.1, written from the model directly: `feed` writes version 1 (one `author`, only
 * the first of several, no language, no attachments), and patching that would mean re-deriving
 * most of it from the model anyway.
 */
import type { FeedEntry, FeedModel, FeedPerson } from './feed-model.js';

const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export function renderJsonFeed(model: FeedModel): string {
  const feed = {
    version: JSON_FEED_VERSION,
    title: model.title,
    home_page_url: model.links.home,
    feed_url: model.links.json,
    // Paging back: the next older document (an RFC 5005 archive page in the XML formats).
    next_url: model.olderJson,
    description: model.description,
    language: model.language,
    authors: [jsonAuthor(model.author)],
    hubs: model.hub === undefined ? undefined : [{ type: 'WebSub', url: model.hub }],
    items: model.entries.map(jsonItem),
  };
  return JSON.stringify(feed, null, 2);
}

function jsonItem(entry: FeedEntry) {
  return {
    id: entry.id,
    url: entry.url,
    external_url: entry.externalUrl,
    title: entry.title,
    content_html: entry.html,
    summary: entry.summary,
    image: entry.image?.url,
    date_published: entry.published.toISOString(),
    date_modified: entry.updated.toISOString(),
    authors: entry.authors.map(jsonAuthor),
    tags: entry.tags,
    attachments: entry.image && [
      {
        url: entry.image.url,
        mime_type: entry.image.type,
        // Optional in JSON Feed, so left out rather than claimed as 0.
        size_in_bytes: entry.image.length > 0 ? entry.image.length : undefined,
      },
    ],
  };
}

/** JSON Feed authors have a name and a url, no email. */
function jsonAuthor({ name, url }: FeedPerson) {
  return { name, url };
}
