/** Every public URL of the site: pages, feeds, and the subscription links mails carry. */
import type { SiteConfig } from './site.js';
import { paths, siteUrl } from './site.js';

/** The public URL of a page whose object key ends in index.html: the folder, as readers link to it. */
function folderUrl(site: SiteConfig, key: string): string {
  return siteUrl(site, key.replace(/index\.html$/, ''));
}

export const homeUrl = (site: SiteConfig) => folderUrl(site, paths.index);
export const faviconUrl = (site: SiteConfig) => siteUrl(site, paths.favicon);
export const digestIndexUrl = (site: SiteConfig) => folderUrl(site, paths.digestIndex);
export const articleUrl = (site: SiteConfig, slug: string) => siteUrl(site, paths.articleUrl(slug));
export const tagUrl = (site: SiteConfig, tag: string) => siteUrl(site, paths.tagUrl(tag));
export const digestUrl = (site: SiteConfig, id: string) => siteUrl(site, paths.digestUrl(id));
/** Where the subscribe form posts: the configured URL, made absolute when it is site-relative. */
export const subscribeActionUrl = (site: SiteConfig) => siteUrl(site, site.subscribeUrl);

/** The id of the subscribe section on every page; the digest's web version sends "unsubscribe" readers there. */
export const subscribeAnchor = 'subscribe';
export const subscribeSectionUrl = (site: SiteConfig) => `${homeUrl(site)}#${subscribeAnchor}`;

/*
 * The links mails carry. They live beside the subscribe form's action (site.subscribeUrl,
 * /api/subscribe by default), so an API served elsewhere gets its links right too.
 */
function apiLink(site: SiteConfig, name: 'confirm' | 'unsubscribe' | 'preferences', token: string): string {
  const url = new URL(name, subscribeActionUrl(site));
  url.search = `?token=${token}`;
  return url.toString();
}

export const confirmUrl = (site: SiteConfig, token: string): string => apiLink(site, 'confirm', token);
export const unsubscribeUrl = (site: SiteConfig, token: string): string => apiLink(site, 'unsubscribe', token);
/** The reader's preference page: what they receive, and how often (a GET shows it, a POST saves). */
export const preferencesUrl = (site: SiteConfig, token: string): string => apiLink(site, 'preferences', token);
/** Where the confirm and unsubscribe pages post their button. */
export const confirmAction = (site: SiteConfig): string => new URL('confirm', subscribeActionUrl(site)).toString();
export const unsubscribeAction = (site: SiteConfig): string => new URL('unsubscribe', subscribeActionUrl(site)).toString();
export const preferencesAction = (site: SiteConfig): string => new URL('preferences', subscribeActionUrl(site)).toString();
