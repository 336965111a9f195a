/**
 * Global setup of the client tests: the local pipeline (s3rver, dynalite, the same adapters and
 * use cases as the cloud) on a random port, with content/ and a generated archive of 1,000
 * articles published into it. The tests read it over HTTP as real clients would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { TestProject } from 'vitest/node';
import { generateArticles } from '../../bench/generate-articles.js';
import { placedAt } from '../../functions/core/article.js';
import { mapWithConcurrency } from '../../functions/core/concurrency.js';
import { subscriberId } from '../../functions/core/subscribers/email.js';
import { issueToken } from '../../functions/core/subscribers/tokens.js';
import { createLocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack } from '../../functions/wiring/local.js';

export interface ExpectedArticle {
  id: string;
  slug: string;
  title: string;
  link: string;
  published: string;
  updated: string;
  /** When it took its place among the others (its date, or when it was written if later): the archives' order. */
  placed: string;
  tags: string[];
}

export interface PublishedSite {
  baseUrl: string;
  /** Every object key in the site bucket. */
  keys: string[];
  articles: ExpectedArticle[];
  digestId: string;
  /** The preference page of a confirmed reader who follows a few tags (its path, with the token). */
  preferencesPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    site: PublishedSite;
  }
}

export const GENERATED_ARTICLES = 1_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressrun-clients-'));
  let handler: (request: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  const server = serve({ fetch: (request) => handler(request), port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/`;

  const stack = await startLocalStack({
    env: {
      PRESSRUN_DATA_DIR: dataDir,
      PRESSRUN_SITE_URL: baseUrl,
      PRESSRUN_API_TOKEN: 'client-tests',
      PRESSRUN_SITE_TITLE: 'Pressrun client tests',
    },
    port,
  });
  const local = createLocalApp(stack, { contentDir: join(projectRoot.pathname, 'content') });
  handler = (request) => local.app.fetch(request);

  const now = new Date();
  const generated = generateArticles(GENERATED_ARTICLES, new Date(now.getTime() - 3_600_000));
  await mapWithConcurrency(generated, 16, async (article) => void (await stack.stores.articles.create(article)));
  const report = await local.publisher.publishNow();
  if (!report) throw new Error('the client tests could not publish the site');

  const keys: string[] = [];
  for await (const object of stack.stores.objects.list()) keys.push(object.key);
  const articles: ExpectedArticle[] = [];
  for await (const page of stack.stores.articles.allPublished(new Date())) {
    for (const a of page)
      articles.push({
        id: a.id,
        slug: a.slug,
        title: a.title,
        link: `${baseUrl}articles/${a.slug}/`,
        published: a.published,
        updated: a.updated,
        placed: placedAt(a),
        tags: a.tags,
      });
  }
  const digest = await stack.stores.digests.latest();
  project.provide('site', { baseUrl, keys: keys.sort(), articles, digestId: digest!.id, preferencesPath: await aReader(stack, now) });

  return async () => {
    server.close();
    await local.publisher.close();
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}

/** A confirmed reader who follows a few tags, weekly; the path of their preference page. */
async function aReader(stack: Awaited<ReturnType<typeof startLocalStack>>, now: Date): Promise<string> {
  const email = 'chooser@example.com';
  const id = subscriberId(email);
  const at = now.toISOString();
  const preferences = {
    topics: ['bridges', 'city-council', 'weather'],
    cadence: 'weekly' as const,
    format: 'full' as const,
    hour: 8,
    weekday: 5,
  };
  await stack.stores.subscribers.save(
    { id, email, status: 'confirmed', source: 'form', createdAt: at, updatedAt: at, confirmedAt: at, generation: 1, preferences },
    0,
  );
  const secret = stack.deliveryConfig.tokenSecret;
  if (!('value' in secret)) throw new Error('the local stack signs with a secret it holds');
  return `api/preferences?token=${issueToken(secret.value, 'preferences', id, now, 1)}`;
}
