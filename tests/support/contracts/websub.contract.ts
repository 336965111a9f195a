/**
 * What every WebSubPublisher does (functions/core/publish/ports.ts): it tells the hub about every
 * feed, and rejects, naming each feed the hub did not accept, after trying them all. Run against
 * WebSubHub (over HTTP, to a local hub) and the in-memory fake by tests/adapters/websub-hub.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { WebSubPublisher } from '../../../functions/core/publish/ports.js';

export interface WebSubUnderTest {
  publisher: WebSubPublisher;
  /** Every topic URL the hub was told about, in any order. */
  told(): string[];
}

/** @param hubThatRefuses a publisher in front of a hub of its own that accepts every topic URL except those `refuses` names. */
export function describeWebSubContract(
  name: string,
  hubThatRefuses: (refuses: (topicUrl: string) => boolean) => Promise<WebSubUnderTest>,
): void {
  describe(`${name} as a WebSubPublisher`, () => {
    it('tells the hub about every feed, and resolves once it accepted them all', async () => {
      const hub = await hubThatRefuses(() => false);
      const feeds = ['https://news.example.com/feed.xml', 'https://news.example.com/tags/a&b/atom.xml'];

      await expect(hub.publisher.publish(feeds)).resolves.toBeUndefined();

      expect([...hub.told()].sort()).toEqual([...feeds].sort());
    });

    it('rejects naming each feed the hub did not accept, after trying them all', async () => {
      const hub = await hubThatRefuses((url) => url.endsWith('atom.xml'));

      const ping = hub.publisher.publish(['https://news.example.com/feed.xml', 'https://news.example.com/atom.xml']);

      await expect(ping).rejects.toThrow(/did not accept 1 of 2: https:\/\/news\.example\.com\/atom\.xml: /);
      expect(hub.told()).toHaveLength(2);
    });
  });
}
