/**
 * The links mails carry. They live beside the subscribe form's action (site.subscribeUrl,
 * /api/subscribe by default), so an API served elsewhere gets its links right too.
 */
import { subscribeActionUrl } from '../pages/urls.js';
import type { SiteConfig } from '../site.js';

function apiLink(site: SiteConfig, name: 'confirm' | 'unsubscribe', token: string): string {
  const url = new URL(name, subscribeActionUrl(site));
  url.search = `?token=${token}`;
  return url.toString();
}

export const confirmUrl = (site: SiteConfig, token: string): string => apiLink(site, 'confirm', token);
export const unsubscribeUrl = (site: SiteConfig, token: string): string => apiLink(site, 'unsubscribe', token);
/** Where the confirm and unsubscribe pages post their button. */
export const confirmAction = (site: SiteConfig): string => new URL('confirm', subscribeActionUrl(site)).toString();
export const unsubscribeAction = (site: SiteConfig): string => new URL('unsubscribe', subscribeActionUrl(site)).toString();
