/** The publish manifest in memory, held to DynamoManifestStore by tests/support/contracts/manifest-store.contract.ts. */
import type { ManifestEntry, ManifestStore } from '../../../functions/core/publish/ports.js';

/** Pages of this many keys, so a sweep meets more than one page even in a small test. */
const PAGE = 5;

export class InMemoryManifestStore implements ManifestStore {
  private readonly entries = new Map<string, { value: string; stamp?: string }>();
  /** More than one, so the core sweeps every part. */
  readonly parts = 3;

  async get(keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry !== undefined) found.set(key, entry.value);
    }
    return found;
  }

  async stamps(keys: string[]): Promise<Map<string, string | undefined>> {
    return new Map(keys.filter((key) => this.entries.has(key)).map((key) => [key, this.entries.get(key)!.stamp]));
  }

  async *unstamped(part: number, stamp: string): AsyncIterable<string[]> {
    const keys = [...this.entries]
      .filter(([key, entry]) => partOf(key, this.parts) === part && entry.stamp !== stamp)
      .map(([key]) => key)
      .sort();
    for (let i = 0; i < keys.length; i += PAGE) yield keys.slice(i, i + PAGE);
  }

  async all(): Promise<Map<string, string>> {
    return new Map([...this.entries].map(([key, entry]) => [key, entry.value]));
  }

  /** A later entry for the same key wins. */
  async put(entries: ManifestEntry[]): Promise<void> {
    for (const { key, value, stamp } of entries) this.entries.set(key, stamp === undefined ? { value } : { value, stamp });
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
}

function partOf(key: string, parts: number): number {
  let sum = 0;
  for (let i = 0; i < key.length; i++) sum = (sum + key.charCodeAt(i)) % parts;
  return sum;
}
