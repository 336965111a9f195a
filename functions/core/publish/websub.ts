/**
 * WebSub's publish ping: after a publish, the hub hears which subscription feeds changed and
 * pushes them to subscribers. Archive pages are left out (no one subscribes to them). A hub that
 * fails is reported, never fatal: readers still poll, and the next publish pings again.
 */
import type { WebSubPublisher } from './ports.js';
import { siteUrl, type SiteConfig } from '../site.js';

const SUBSCRIPTION_FEED = /^(?:tags\/[^/]+\/)?(?:feed\.xml|atom\.xml|feed\.json)$/;

/** The public URLs of the subscription feeds among `writtenKeys`. */
export function changedFeedUrls(site: Pick<SiteConfig, 'baseUrl'>, writtenKeys: readonly string[]): string[] {
  return writtenKeys.filter((key) => SUBSCRIPTION_FEED.test(key)).map((key) => siteUrl(site, key));
}

export async function pingHub(
  hub: WebSubPublisher,
  site: SiteConfig,
  writtenKeys: readonly string[],
  warn: (message: string) => void = () => {},
): Promise<{ pinged: string[]; error?: string } | undefined> {
  const urls = changedFeedUrls(site, writtenKeys);
  if (urls.length === 0) return undefined;
  try {
    await hub.publish(urls);
    return { pinged: urls };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    warn(`WebSub hub ${site.websubHub} was not told about ${urls.length} changed feeds: ${message}`);
    return { pinged: [], error: message };
  }
}
