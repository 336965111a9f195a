/** The publish manifest in memory, held to DynamoManifestStore by tests/support/contracts/manifest-store.contract.ts. */
import type { ManifestEntry, ManifestStore } from '../../../functions/core/publish/ports.js';

export class InMemoryManifestStore implements ManifestStore {
  private readonly entries = new Map<string, string>();

  async get(keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of keys) {
      const value = this.entries.get(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  async all(): Promise<Map<string, string>> {
    return new Map(this.entries);
  }

  /** A later entry for the same key wins. */
  async put(entries: ManifestEntry[]): Promise<void> {
    for (const { key, value } of entries) this.entries.set(key, value);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
}
