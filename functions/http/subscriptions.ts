/**
 * The public subscription routes: subscribe (double opt-in, with the reader's choices of what
 * to receive, if any), confirm, RFC 8058 one-click unsubscribe, and the preference page a
 * reader's link opens. No auth and no cookies; nothing here tells whether an address is subscribed.
 * A GET only shows a page whose button POSTs (mail scanners follow links). Browsers get
 * pages, other clients JSON or problem documents.
 */
import * as z from 'zod/mini';
import type { Context } from 'hono';
import { PressrunError } from '../core/errors.js';
import { subscriptionPages } from '../core/pages/subscription-pages.js';
import { RateLimitedError } from '../core/rate-limit.js';
import type { SiteConfig } from '../core/site.js';
import { TokenError } from '../core/subscribers/tokens.js';
import { preferencesUrl, subscribeActionUrl } from '../core/urls.js';
import type { ApiDeps } from './api-deps.js';
import { choicesFromForm, PreferenceFormDoc, PreferencesDoc, REPEATED_CHOICE_FIELDS } from './choice-fields.js';
import { clientAddress } from './client-address.js';
import type { DeliveryApi } from './delivery-api.js';
import { limitFormBody, readFields, wantsPage } from './forms.js';
import { RouteTable, type ParameterDoc } from './openapi.js';
import { statusOfError } from './problem.js';
import { doc, problemResponses } from './schemas.js';

type Deps = Pick<ApiDeps, 'site' | 'now' | 'delivery' | 'clientAddress' | 'pagesFramedBy'>;

/** The site the pages belong to, and the headers every page carries. */
interface Pages {
  site: SiteConfig;
  headers: Record<string, string>;
}

const ACCEPTED = 'If this address can receive our mail, a confirmation link is on its way. Nothing is sent until it is confirmed.';

/**
 * Pages carry tokens in their URL and a button: no referrer, forms only to the API, and no
 * framing but by the origins the deployment names (the local inbox, which shows mails and
 * opens their links in a frame; none in the cloud).
 */
function pageHeaders(site: SiteConfig, framedBy: readonly string[] = []): Record<string, string> {
  const origin = new URL(subscribeActionUrl(site)).origin;
  const ancestors = framedBy.length > 0 ? framedBy.join(' ') : "'none'";
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; img-src ${origin}; form-action ${origin}; frame-ancestors ${ancestors}; base-uri 'none'`,
    'Referrer-Policy': 'no-referrer',
  };
}

function page(
  c: Context,
  pages: Pages,
  html: string,
  status: 200 | 202 | 400 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
  headers: Record<string, string> = {},
) {
  return c.html(html, status, { ...pages.headers, ...headers });
}

/** The refusal as a page for browsers; anyone else gets it as a problem document from onError. */
function refusalPage(c: Context, pages: Pages, error: unknown, typedEmail?: string): Response {
  const { site } = pages;
  const { status, headers } = statusOfError(error);
  if (error instanceof RateLimitedError) return page(c, pages, subscriptionPages.tooMany(site, error.retryAfterSeconds), 429, headers);
  if (error instanceof TokenError) {
    const title = error.refusal === 'expired' ? 'This link has expired' : 'This link does not work';
    const detail =
      error.refusal === 'expired'
        ? 'Links in our emails work for a limited time. Subscribe again to get a fresh one.'
        : 'Copy the whole link from the email into your browser, or subscribe again.';
    return page(c, pages, subscriptionPages.refused(site, title, detail), 400);
  }
  if (error instanceof PressrunError && error.kind !== 'unavailable') {
    const field = error.problems[0];
    return page(
      c,
      pages,
      subscriptionPages.refused(site, 'That did not work', field ? `The ${field.field} ${field.message}.` : error.message, typedEmail),
      status as 400,
    );
  }
  if (!(error instanceof PressrunError)) console.error(`${c.req.method} ${c.req.path} failed`, error);
  return page(c, pages, subscriptionPages.unavailable(site), status === 503 ? 503 : 500);
}

/** Runs `handle`; a browser sees a failure as a page, everyone else as a problem document. */
async function answer(c: Context, pages: Pages, handle: () => Promise<Response>, typedEmail?: () => string | undefined): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (wantsPage(c)) return refusalPage(c, pages, error, typedEmail?.());
    throw error;
  }
}

function delivery(deps: Deps): DeliveryApi {
  if (!deps.delivery) throw new PressrunError('unavailable', 'Subscriptions are not set up on this server');
  return deps.delivery;
}

const tokenOf = (c: Context, fields: Record<string, unknown> = {}): unknown => c.req.query('token') ?? fields.token;

const SubscribeJson = z.object({
  email: doc(z.string(), { example: 'reader@example.com' }),
  preferences: z.optional(doc(PreferencesDoc, { description: 'What to receive; every field optional, left out: the defaults.' })),
});
const SubscribeForm = z.object({ email: doc(z.string(), { example: 'reader@example.com' }), ...PreferenceFormDoc });
const TokenBody = z.object({ token: z.optional(z.string()) });
const tokenQuery: ParameterDoc = {
  name: 'token',
  in: 'query',
  required: false,
  description: 'The token from the link in the email.',
  schema: { type: 'string' },
};
const StatusAnswer = (status: string) => z.object({ status: z.literal(status), detail: z.string() });
const htmlPage = { 'text/html': { schema: { type: 'string' as const } } };

export function subscriptionRoutes(deps: Deps): RouteTable {
  const table = new RouteTable();
  const routes: Routes = { table, deps, pages: { site: deps.site, headers: pageHeaders(deps.site, deps.pagesFramedBy) } };
  subscribeRoute(routes);
  linkPageRoute(routes, 'confirm');
  confirmRoute(routes);
  linkPageRoute(routes, 'unsubscribe');
  unsubscribeRoute(routes);
  preferencePageRoute(routes);
  savePreferencesRoute(routes);
  return table;
}

interface Routes {
  table: RouteTable;
  deps: Deps;
  pages: Pages;
}

function subscribeRoute({ table, deps, pages }: Routes): void {
  table.route(
    {
      method: 'post',
      path: '/subscribe',
      summary: 'Ask for the digest by email (double opt-in: a confirmation link is mailed), optionally choosing what to receive',
      description:
        'Answers the same 202, in the same time, whether or not the address is known: the request is queued and carried out after the answer. Browsers (Accept: text/html) get a page. Rate limited per client (a 429) and per address (after the answer: no more mail). The choices (JSON `preferences`, or the form fields `topics` (repeated), `cadence`, `format`, `hour`, `weekday`) are optional; a bad one is a 422 naming it (`preferences.cadence`).',
      body: { content: { 'application/x-www-form-urlencoded': { schema: SubscribeForm }, 'application/json': { schema: SubscribeJson } } },
      responses: {
        202: {
          description: 'Accepted; a confirmation mail is on its way if the address can receive it',
          content: { 'application/json': { schema: StatusAnswer('pending') }, ...htmlPage },
        },
        ...problemResponses(413, 415, 422, 429, 503),
      },
      middleware: [limitFormBody],
    },
    (c) => {
      let typed: string | undefined;
      const subscribe = async () => {
        const api = delivery(deps);
        const now = deps.now();
        await limitPerClient(c, deps, api, now);
        const { fields, kind } = await readFields(c, REPEATED_CHOICE_FIELDS);
        if (typeof fields.email === 'string') typed = fields.email;
        const preferences = kind === 'form' ? choicesFromForm(fields) : fields.preferences;
        await api.subscribe({
          email: fields.email,
          source: kind === 'form' ? 'form' : 'api',
          now,
          ...(preferences === undefined ? {} : { preferences }),
        });
        if (wantsPage(c)) return page(c, pages, subscriptionPages.requested(pages.site), 202);
        return c.json({ status: 'pending', detail: ACCEPTED }, 202);
      };
      return answer(c, pages, subscribe, () => typed);
    },
  );
}

/** One client may ask only so often (the send worker counts per address, after the answer). */
async function limitPerClient(c: Context, deps: Deps, api: DeliveryApi, now: Date): Promise<void> {
  const { limit, windowSeconds } = api.perClient;
  const rate = await api.rateLimiter.hit(`subscribe-client:${clientAddress(c, deps.clientAddress)}`, limit, windowSeconds, now);
  if (!rate.allowed)
    throw new RateLimitedError('Too many subscription requests from this client; try again later', rate.retryAfterSeconds, [
      { field: 'client', message: `at most ${limit} requests every ${Math.ceil(windowSeconds / 60)} minutes` },
    ]);
}

/** GET /confirm and GET /unsubscribe: the page a link in a mail opens, with the one button that acts (a GET changes nothing). */
function linkPageRoute({ table, deps, pages }: Routes, purpose: 'confirm' | 'unsubscribe'): void {
  const button = purpose === 'confirm' ? 'Confirm' : 'Unsubscribe';
  const prompt = purpose === 'confirm' ? subscriptionPages.confirmPrompt : subscriptionPages.unsubscribePrompt;
  table.route(
    {
      method: 'get',
      path: `/${purpose}`,
      summary: `The page ${purpose === 'confirm' ? 'a confirmation' : 'an unsubscribe'} link opens: a button that ${purpose === 'confirm' ? 'confirms' : 'unsubscribes'} (a GET changes nothing)`,
      parameters: [tokenQuery],
      responses: {
        200: { description: `A page with ${purpose === 'confirm' ? 'a' : 'an'} ${button} button`, content: htmlPage },
        400: { description: 'A page saying the link is expired or broken', content: htmlPage },
      },
    },
    (c) =>
      answer(c, pages, async () => {
        const token = tokenOf(c);
        try {
          await delivery(deps).checkLink(token, purpose, deps.now());
        } catch (error) {
          return refusalPage(c, pages, error);
        }
        return page(c, pages, prompt(pages.site, token as string), 200);
      }),
  );
}

function confirmRoute({ table, deps, pages }: Routes): void {
  table.route(
    {
      method: 'post',
      path: '/confirm',
      summary: 'Confirm a subscription (idempotent)',
      parameters: [tokenQuery],
      body: { content: { 'application/x-www-form-urlencoded': { schema: TokenBody }, 'application/json': { schema: TokenBody } } },
      responses: {
        200: {
          description: "Confirmed (or confirmed before), with the link to the reader's preference page",
          content: {
            'application/json': {
              schema: z.object({
                status: z.enum(['confirmed', 'already-confirmed']),
                preferencesUrl: doc(z.string(), { description: 'The preference page of the subscription just confirmed.' }),
              }),
            },
            ...htmlPage,
          },
        },
        ...problemResponses(409, 413, 415, 422),
      },
      middleware: [limitFormBody],
    },
    (c) =>
      answer(c, pages, async () => {
        const { fields } = await readFields(c);
        const { status, preferencesToken } = await delivery(deps).confirm(tokenOf(c, fields), deps.now());
        if (wantsPage(c))
          return page(c, pages, subscriptionPages.confirmed(pages.site, status === 'already-confirmed', preferencesToken), 200);
        return c.json({ status, preferencesUrl: preferencesUrl(pages.site, preferencesToken) }, 200);
      }),
  );
}

function unsubscribeRoute({ table, deps, pages }: Routes): void {
  table.route(
    {
      method: 'post',
      path: '/unsubscribe',
      summary: 'Unsubscribe at once: RFC 8058 one-click (body List-Unsubscribe=One-Click), no auth, no cookies, no redirect; idempotent',
      parameters: [tokenQuery],
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ 'List-Unsubscribe': z.optional(z.literal('One-Click')), token: z.optional(z.string()) }),
          },
        },
      },
      responses: {
        200: {
          description: 'Unsubscribed (or already)',
          content: { 'application/json': { schema: z.object({ status: z.enum(['unsubscribed', 'already-unsubscribed']) }) }, ...htmlPage },
        },
        // 409: a link mailed for an earlier subscription of the address, which has ended; it never ends a later one.
        ...problemResponses(409, 413, 415, 422),
      },
      middleware: [limitFormBody],
    },
    (c) =>
      answer(c, pages, async () => {
        const { fields } = await readFields(c);
        const source = fields['List-Unsubscribe'] === 'One-Click' ? 'one-click' : 'api';
        const status = await delivery(deps).unsubscribe(tokenOf(c, fields), source, deps.now());
        if (wantsPage(c)) return page(c, pages, subscriptionPages.unsubscribed(pages.site), 200);
        return c.json({ status }, 200);
      }),
  );
}

const ReaderAnswer = z.object({
  email: z.string(),
  status: doc(z.enum(['pending', 'confirmed']), { description: "A pending reader's choices apply once they confirm." }),
  preferences: doc(PreferencesDoc, { description: 'Every field, the defaults filling what the reader never chose.' }),
});

/** GET /preferences: what the reader receives now, as a form for browsers and as JSON for others; changes nothing. */
function preferencePageRoute({ table, deps, pages }: Routes): void {
  table.route(
    {
      method: 'get',
      path: '/preferences',
      summary:
        'What a reader receives, from the link in their mails: a page with a form for browsers, JSON for others (a GET changes nothing)',
      parameters: [
        { ...tokenQuery, required: true, description: 'The token from the preference link of an email (or of the confirmed page).' },
      ],
      responses: {
        200: { description: "The reader's choices", content: { 'application/json': { schema: ReaderAnswer }, ...htmlPage } },
        // 409: the link of a subscription that has ended; 422 (a page: 400) a broken or expired link.
        ...problemResponses(409, 422),
      },
    },
    (c) =>
      answer(c, pages, async () => {
        const token = tokenOf(c);
        const reader = await delivery(deps).readChoices(token, deps.now());
        if (wantsPage(c)) return page(c, pages, subscriptionPages.preferences(pages.site, token as string, reader), 200);
        return c.json(reader, 200);
      }),
  );
}

/** POST /preferences: saves the reader's choices (fields left out stay as they are). */
function savePreferencesRoute({ table, deps, pages }: Routes): void {
  table.route(
    {
      method: 'post',
      path: '/preferences',
      summary: 'Change what a reader receives (fields left out stay as they are)',
      description:
        'JSON: `{"preferences": {…}}`; a form: the fields `topics` (repeated; "all" or none: every article), `cadence`, `format`, `hour`, `weekday`, which the preference page posts. The token comes in the query or as a `token` field. A bad choice is a 422 naming it (`preferences.hour`).',
      parameters: [tokenQuery],
      body: {
        content: {
          'application/x-www-form-urlencoded': { schema: z.object({ token: z.optional(z.string()), ...PreferenceFormDoc }) },
          'application/json': { schema: z.object({ token: z.optional(z.string()), preferences: PreferencesDoc }) },
        },
      },
      responses: {
        200: {
          description: 'Saved',
          content: {
            'application/json': { schema: z.object({ status: z.literal('saved'), preferences: PreferencesDoc }) },
            ...htmlPage,
          },
        },
        // 409: the link of a subscription that has ended.
        ...problemResponses(409, 413, 415, 422),
      },
      middleware: [limitFormBody],
    },
    (c) =>
      answer(c, pages, async () => {
        const { fields, kind } = await readFields(c, REPEATED_CHOICE_FIELDS);
        const token = tokenOf(c, fields);
        // A form that sends no choice changes nothing; JSON names them under `preferences`.
        const preferences = kind === 'json' ? fields.preferences : (choicesFromForm(fields) ?? {});
        const api = delivery(deps);
        try {
          const saved = await api.saveChoices(token, preferences, deps.now());
          if (wantsPage(c)) return page(c, pages, subscriptionPages.preferencesSaved(pages.site, token as string, saved), 200);
          return c.json({ status: 'saved', preferences: saved.preferences }, 200);
        } catch (error) {
          // A refused choice, for a browser: the form again, as it was, saying why.
          if (!wantsPage(c) || !(error instanceof PressrunError) || error instanceof TokenError || error.kind !== 'invalid') throw error;
          const reader = await api.readChoices(token, deps.now());
          const problem = error.problems.map((p) => `the ${p.field.replace(/^preferences\./, '')} ${p.message}`).join('; ');
          return page(c, pages, subscriptionPages.preferences(pages.site, token as string, reader, `${problem}.`), 422);
        }
      }),
  );
}
