/** Who mail comes from and how lists are named: built by config.ts, passed into the pure core. */
export interface MailSettings {
  /** An RFC 5322 mailbox on a domain with SPF, DKIM and DMARC, e.g. `"Example News" <digest@news.example.com>`. */
  from: string;
  replyTo?: string;
  /** The mailto: half of List-Unsubscribe, a mailbox someone (or something) reads. */
  unsubscribeMailto: string;
  /** RFC 2919 List-Id, e.g. `"Example News" <digest.news.example.com>`. */
  listId: string;
}

/** A display name as an RFC 5322 quoted string, so commas, parentheses and quotes in a site title cannot break a header. */
export function quotedPhrase(name: string): string {
  return `"${name.replace(/[\r\n]+/g, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

/** The List-Id of a site's digest: its title, and a label under the site's own domain. */
export function defaultListId(site: { title: string; baseUrl: string }): string {
  return `${quotedPhrase(site.title)} <digest.${new URL(site.baseUrl).hostname}>`;
}
