/** One recipient's copy of a digest: their unsubscribe token filled into the once-rendered HTML and text. */
import { compilePersonalizer } from '../digest/personalize.js';
import { digestMessage } from '../mail/messages.js';
import type { MailSettings } from '../mail/mail-settings.js';
import { digestUrl } from '../urls.js';
import type { Digest } from '../digest/ports.js';
import type { MailMessage } from '../mail/ports.js';
import type { SendRecipient } from './ports.js';
import type { SiteConfig } from '../site.js';
import { unsubscribeUrl } from '../urls.js';
import { issueToken } from '../subscribers/tokens.js';

export interface CopyContext {
  site: SiteConfig;
  mail: MailSettings;
  tokenSecret: string;
}

/** A recipient, with the subscription (Subscriber.generation) their unsubscribe link is made for. */
export type CopyRecipient = SendRecipient & { generation: number };

export type CopyMaker = (recipient: CopyRecipient, now: Date, options?: { test?: boolean }) => MailMessage;

/** Splits the digest at its tokens once; each copy after that is a signature and a few concatenations. */
export function copyMaker(context: CopyContext, digest: Digest): CopyMaker {
  const personalize = compilePersonalizer(digest);
  const webVersionUrl = digestUrl(context.site, digest.id);
  return (recipient, now, options = {}) => {
    const token = issueToken(context.tokenSecret, 'unsubscribe', recipient.id, now, recipient.generation);
    const url = unsubscribeUrl(context.site, token);
    const { html, text } = personalize({ unsubscribeUrl: url, webVersionUrl });
    return digestMessage(context.mail, digest, {
      html,
      text,
      to: recipient.email,
      unsubscribeUrl: url,
      unsubscribeToken: token,
      ...(options.test ? { test: true } : {}),
    });
  };
}
