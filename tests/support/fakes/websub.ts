/**
 * A WebSub hub that remembers what it was told, held to WebSubHub by
 * tests/support/contracts/websub.contract.ts: every feed is tried, and the call rejects
 * naming each one the hub refused.
 */
import type { WebSubPublisher } from '../../../functions/core/publish/ports.js';

export class RecordingWebSub implements WebSubPublisher {
  /** The topic URLs of each call, in order. */
  readonly told: string[][] = [];
  /** What each refused call rejected with, in order. */
  readonly refusals: Error[] = [];
  private readonly refuses: (topicUrl: string) => boolean;

  /** `refuses`: the topic URLs the hub does not accept (none by default). */
  constructor(options: { refuses?: (topicUrl: string) => boolean } = {}) {
    this.refuses = options.refuses ?? (() => false);
  }

  async publish(topicUrls: string[]): Promise<void> {
    this.told.push([...topicUrls]);
    const refused = topicUrls.filter((url) => this.refuses(url));
    if (refused.length > 0) {
      const refusal = new Error(
        `the hub did not accept ${refused.length} of ${topicUrls.length}: ${refused.map((url) => `${url}: refused`).join('; ')}`,
      );
      this.refusals.push(refusal);
      throw refusal;
    }
  }
}
