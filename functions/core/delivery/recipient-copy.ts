/** One recipient's copy of a digest: their unsubscribe token filled into the once-rendered HTML and text. */
import { compilePersonalizer } from '../digest/personalize.js';
import { digestMessage } from '../mail/messages.js';
import type { MailSettings } from '../mail/mail-settings.js';
import { digestUrl } from '../urls.js';
import type { Digest } from '../digest/ports.js';
import type { MailMessage } from '../mail/ports.js';
import type { SendRecipient } from './ports.js';
import type { SiteConfig } from '../site.js';
import { homeUrl, preferencesUrl, unsubscribeUrl } from '../urls.js';
import { issueToken } from '../subscribers/tokens.js';

export interface CopyContext {
  site: SiteConfig;
  mail: MailSettings;
  tokenSecret: string;
}

/** A recipient, with the subscription (Subscriber.generation) their unsubscribe link is made for. */
export type CopyRecipient = SendRecipient & { generation: number };

export type CopyMaker = (recipient: CopyRecipient, now: Date, options?: { test?: boolean }) => MailMessage;

/**
 * Splits the content at its tokens once; each copy after that is two signatures and a few
 * concatenations. `sendId` names the send the mail belongs to (its bounces count against that
 * send's guardrails): the digest's own id unless given. A content rendered for some readers
 * has no page of its own: its "View in browser" leads to the site, where its articles are.
 */
export function copyMaker(context: CopyContext, digest: Digest, sendId = digest.id): CopyMaker {
  const personalize = compilePersonalizer(digest);
  const webVersionUrl = digest.kind === 'content' ? homeUrl(context.site) : digestUrl(context.site, digest.id);
  const message = { id: sendId, subject: digest.subject };
  return (recipient, now, options = {}) => {
    const token = issueToken(context.tokenSecret, 'unsubscribe', recipient.id, now, recipient.generation);
    const url = unsubscribeUrl(context.site, token);
    const choices = preferencesUrl(context.site, issueToken(context.tokenSecret, 'preferences', recipient.id, now, recipient.generation));
    const { html, text, parts } = personalize({ unsubscribeUrl: url, webVersionUrl, preferencesUrl: choices });
    return digestMessage(context.mail, message, {
      html,
      text,
      parts,
      to: recipient.email,
      unsubscribeUrl: url,
      unsubscribeToken: token,
      ...(options.test ? { test: true } : {}),
    });
  };
}
