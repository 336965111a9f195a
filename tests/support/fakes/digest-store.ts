/** Digests in memory, held to DynamoDigestStore by tests/support/contracts/digest-store.contract.ts. */
import type { Digest, DigestStore } from '../../../functions/core/digest/ports.js';
import { PressrunError } from '../../../functions/core/errors.js';

type DigestSummary = Omit<Digest, 'html' | 'text'>;

export class InMemoryDigestStore implements DigestStore {
  private readonly digests = new Map<string, Digest>();

  /** The first digest stored under an id stands; creating it again returns that one. */
  async create(digest: Digest): Promise<Digest> {
    const existing = this.digests.get(digest.id);
    if (existing) return structuredClone(existing);
    orderOf(digest);
    const stored = digestOf(digest);
    this.digests.set(digest.id, stored);
    return structuredClone(stored);
  }

  async get(id: string): Promise<Digest | undefined> {
    const digest = this.digests.get(id);
    return digest && structuredClone(digest);
  }

  async latest(): Promise<Digest | undefined> {
    const [newest] = this.newestFirst();
    return newest && structuredClone(newest);
  }

  async list(): Promise<DigestSummary[]> {
    return this.newestFirst().map(({ html: _html, text: _text, ...summary }) => structuredClone(summary));
  }

  /** By cutoff, newest first; the id breaks ties, as DynamoDB's index sort key does. */
  private newestFirst(): Digest[] {
    return [...this.digests.values()]
      .filter((d) => d.kind !== 'content')
      .sort((a, b) => (orderOf(a) < orderOf(b) ? 1 : orderOf(a) > orderOf(b) ? -1 : 0));
  }
}

function orderOf(digest: Digest): string {
  const cutoff = new Date(digest.cutoff);
  if (Number.isNaN(cutoff.getTime())) {
    throw new PressrunError('invalid', `Not a date: ${digest.cutoff}`, [{ field: 'cutoff', message: 'must be an RFC 3339 date' }]);
  }
  return `${cutoff.toISOString()}#${digest.id}`;
}

/** Exactly the fields of a digest, as DynamoDigestStore reads them back. */
function digestOf(digest: Digest): Digest {
  const { id, createdAt, cutoff, articleSlugs, articleIds, subject, preheader, html, text, kind, format } = digest;
  return structuredClone({
    id,
    createdAt,
    cutoff,
    articleSlugs,
    ...(articleIds ? { articleIds } : {}),
    subject,
    preheader,
    html,
    text,
    ...(kind ? { kind } : {}),
    ...(format ? { format } : {}),
  });
}
