/** A small client of the Pressrun API for the CLI: push article files, trigger a publish. */
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Article, StoredArticle } from '../core/article.js';
import { parseArticleFile } from '../core/content/parse-file.js';
import { PressrunError } from '../core/errors.js';
import type { PublishRun } from '../core/publish/ports.js';
import type { SiteConfig } from '../core/site.js';
import { readArticleFiles } from './content-files.js';
import { failureLines } from './reports.js';

export interface PushResult {
  file: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'failed';
  detail?: string;
}

export class ApiClient {
  private readonly base: URL;

  constructor(
    apiUrl: string,
    private readonly token: string,
  ) {
    this.base = apiBase(apiUrl);
  }

  async pushDirectory(dir: string): Promise<PushResult[]> {
    const files = await readArticleFiles(dir, dirname(dir)).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      throw code === 'ENOENT' || code === 'ENOTDIR' ? new Error(`${dir} is not a folder`, { cause: error }) : error;
    });
    const site = this.siteForParsing();
    const results: PushResult[] = [];
    for (const file of files) {
      try {
        const article = parseArticleFile(file, { site, now: new Date() });
        results.push({ file: file.name, outcome: await this.upsert(article) });
      } catch (error) {
        const detail =
          error instanceof PressrunError
            ? failureLines(file.name, error).join('; ')
            : error instanceof Error
              ? error.message
              : String(error);
        results.push({ file: file.name, outcome: 'failed', detail });
      }
    }
    return results;
  }

  /**
   * Files are parsed here so a bad one is reported before anything is sent; relative links
   * resolve against the API's origin, which CloudFront shares with the site.
   */
  private siteForParsing(): SiteConfig {
    return {
      baseUrl: new URL('/', this.base).toString(),
      title: '',
      description: '',
      language: 'en',
      author: { name: process.env.PRESSRUN_AUTHOR_NAME ?? 'The editors' },
      feedItemLimit: 50,
      digestArticleLimit: 20,
      subscribeUrl: '/api/subscribe',
    };
  }

  async publishAndWait(options: { full?: boolean } = {}, pollMs = 1000, timeoutMs = 15 * 60_000): Promise<PublishRun> {
    const started = await this.call('POST', 'publish', options.full ? JSON.stringify({ full: true }) : undefined);
    const { runId } = (await started.json()) as { runId: string };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (await (await this.call('GET', `publish-runs/${runId}`)).json()) as PublishRun;
      if (run.status === 'succeeded' || run.status === 'failed' || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private async upsert(article: Article): Promise<'created' | 'updated' | 'unchanged'> {
    const input = toInput(article);
    const body = JSON.stringify(input);
    const existing = await this.call('GET', `articles/${article.slug}`, undefined, [200, 404]);
    if (existing.status === 404) {
      await this.call('POST', 'articles', body);
      return 'created';
    }
    // An update of an unchanged file would still bump the version and mark the article for republishing.
    if (alreadyHolds((await existing.json()) as StoredArticle, input)) return 'unchanged';
    await this.call('PUT', `articles/${article.slug}`, body, [200], { 'if-match': existing.headers.get('etag') ?? '' });
    return 'updated';
  }

  private async call(
    method: string,
    path: string,
    body?: string,
    ok = [200, 201, 202, 204],
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const url = new URL(path, this.base);
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body } : {}),
    }).catch((error: unknown) => {
      // fetch says only "fetch failed"; why is in its cause (ECONNREFUSED, ENOTFOUND, a certificate…).
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach the API at ${url.href} (${cause?.code ?? cause?.message ?? String(error)})`, { cause: error });
    });
    if (!ok.includes(response.status)) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string; errors?: Array<{ field: string; message: string }> };
      const fields = problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
      throw new Error(`${method} ${path}: ${response.status} ${problem.detail ?? response.statusText}${fields ? ` (${fields})` : ''}`);
    }
    return response;
  }
}

/** The API's address as given to --api, ending in a slash so paths resolve under it. */
function apiBase(apiUrl: string): URL {
  const url = URL.canParse(apiUrl) ? new URL(apiUrl.replace(/\/?$/, '/')) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new Error(`--api: "${apiUrl}" is not an http or https URL; give the API's address, e.g. http://localhost:8787/api`);
  }
  return url;
}

type ArticleInput = ReturnType<typeof toInput>;

/** What an edit replaces: all but the id, which an edit keeps. */
const EDITABLE_FIELDS = [
  'title',
  'summary',
  'html',
  'published',
  'updated',
  'authors',
  'tags',
  'image',
  'canonicalUrl',
  'draft',
  'email',
] as const satisfies ReadonlyArray<keyof ArticleInput & keyof StoredArticle>;

/**
 * Whether the stored article already says what the file says. Compared field by field because
 * the API keeps no hash of a pushed file: its `sourceHash` is set only by the local import.
 */
function alreadyHolds(stored: StoredArticle, input: ArticleInput): boolean {
  return EDITABLE_FIELDS.every((field) => isDeepStrictEqual(stored[field], input[field]));
}

/** The API's JSON input for an article parsed from a file: sanitized HTML travels as `html`. */
function toInput(article: Article) {
  return {
    id: article.id,
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    html: article.html,
    published: article.published,
    updated: article.updated,
    authors: article.authors,
    tags: article.tags,
    ...(article.image ? { image: article.image } : {}),
    ...(article.canonicalUrl ? { canonicalUrl: article.canonicalUrl } : {}),
    draft: article.draft,
    ...(article.email === false ? { email: false } : {}),
  };
}
