/**
 * Tells a WebSub hub that feeds changed: one form POST per feed, `hub.mode=publish&hub.url=<feed>`,
 * the ping most hubs accept (WebSub leaves the publisher's ping to the hub; this is the common
 * form). A 2xx answer is success; anything else, a timeout or a network error rejects, naming
 * each feed that was not accepted. The publish logs that and carries on.
 */
import type { WebSubPublisher } from '../core/publish/ports.js';

export interface WebSubHubOptions {
  /** Milliseconds to wait for each answer. Default 5,000. */
  timeoutMs?: number;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
}

export class WebSubHub implements WebSubPublisher {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    private readonly hubUrl: string,
    options: WebSubHubOptions = {},
  ) {
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async publish(topicUrls: string[]): Promise<void> {
    const results = await Promise.allSettled(topicUrls.map((url) => this.ping(url)));
    const failed = results.flatMap((result, i) =>
      result.status === 'rejected' ? [`${topicUrls[i]}: ${(result.reason as Error).message}`] : [],
    );
    if (failed.length > 0)
      throw new Error(`hub ${this.hubUrl} did not accept ${failed.length} of ${topicUrls.length}: ${failed.join('; ')}`);
  }

  private async ping(topicUrl: string): Promise<void> {
    const response = await this.fetch(this.hubUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topicUrl }).toString(),
      signal: AbortSignal.timeout(this.timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`answered ${response.status}`);
  }
}
