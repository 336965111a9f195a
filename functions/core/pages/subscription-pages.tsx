/**
 * The few pages the subscription links lead to: short notices in the site's own style, with
 * at most one button. They change nothing when fetched; only their buttons POST. Never
 * indexed, never framed, and they send no Referer that could carry a token away.
 */
import type { SiteConfig } from '../site.js';
import { confirmAction, unsubscribeAction } from '../urls.js';
import { renderDocument } from './document.js';
import { Head, SiteHeader, SubscribeForm } from './parts.js';
import { homeUrl } from '../urls.js';

interface Form {
  action: string;
  fields: Record<string, string>;
  button: string;
}

interface NoticeProps {
  site: SiteConfig;
  title: string;
  lines: string[];
  form?: Form;
  /** Offer the subscribe form again (after a refused or expired link), with the address the reader typed. */
  subscribeAgain?: { email?: string };
}

function Notice({ site, title, lines, form, subscribeAgain }: NoticeProps) {
  return (
    <html lang={site.language}>
      <Head site={site} title={title} private />
      <body>
        <div class="wrap">
          <SiteHeader site={site} />
          <main>
            <h1>{title}</h1>
            {lines.map((line) => (
              <p>{line}</p>
            ))}
            {form && (
              <form method="post" action={form.action} class="subscribe">
                {Object.entries(form.fields).map(([name, value]) => (
                  <input type="hidden" name={name} value={value} />
                ))}
                <button type="submit">{form.button}</button>
              </form>
            )}
            {subscribeAgain && <SubscribeForm site={site} {...(subscribeAgain.email ? { email: subscribeAgain.email } : {})} />}
            <p>
              <a href={homeUrl(site)}>Back to {site.title}</a>
            </p>
          </main>
        </div>
      </body>
    </html>
  );
}

const page = (props: NoticeProps) => renderDocument(<Notice {...props} />);

export const subscriptionPages = {
  requested: (site: SiteConfig) =>
    page({
      site,
      title: 'Check your inbox',
      lines: [
        'If this address can receive our mail, a message with a confirmation link is on its way.',
        'Open it and press the button to start receiving the digest. Nothing is sent until you do.',
      ],
    }),
  confirmPrompt: (site: SiteConfig, token: string) =>
    page({
      site,
      title: 'Confirm your subscription',
      lines: [`Press the button to receive ${site.title} by email.`],
      form: { action: confirmAction(site), fields: { token }, button: 'Confirm subscription' },
    }),
  confirmed: (site: SiteConfig, again: boolean) =>
    page({
      site,
      title: again ? 'You were already subscribed' : 'You are subscribed',
      lines: ['The next digest will reach you by email. Every one has a link to unsubscribe with one click.'],
    }),
  unsubscribePrompt: (site: SiteConfig, token: string) =>
    page({
      site,
      title: 'Unsubscribe',
      lines: [`Press the button and you will receive no more email from ${site.title}.`],
      form: { action: `${unsubscribeAction(site)}?token=${token}`, fields: { 'List-Unsubscribe': 'One-Click' }, button: 'Unsubscribe' },
    }),
  unsubscribed: (site: SiteConfig) =>
    page({
      site,
      title: 'You are unsubscribed',
      lines: [`You will receive no more email from ${site.title}. Changed your mind? Subscribe again below.`],
      subscribeAgain: {},
    }),
  /** A refused request or link; `email`, the address the reader typed, fills the form offered again. */
  refused: (site: SiteConfig, title: string, detail: string, email?: string) =>
    page({ site, title, lines: [detail], subscribeAgain: email === undefined ? {} : { email } }),
  tooMany: (site: SiteConfig, retryAfterSeconds: number) =>
    page({
      site,
      title: 'Too many requests',
      lines: [`Please try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minutes.`],
    }),
  unavailable: (site: SiteConfig) =>
    page({ site, title: 'Please try again later', lines: ['We could not handle this right now. Nothing was changed.'] }),
};
