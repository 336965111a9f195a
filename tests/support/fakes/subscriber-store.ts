/** Subscribers in memory, held to DynamoSubscriberStore by tests/support/contracts/subscriber-store.contract.ts. */
import { conflict } from '../../../functions/core/errors.js';
import type {
  ConfirmedRange,
  ConfirmedReader,
  Subscriber,
  SubscriberStanding,
  SubscriberStore,
} from '../../../functions/core/subscribers/ports.js';

const FIELDS = [
  'id',
  'email',
  'status',
  'source',
  'createdAt',
  'updatedAt',
  'requestedAt',
  'generation',
  'confirmedAt',
  'consentSource',
  'unsubscribedAt',
  'suppressedAt',
  'preferences',
  'version',
] as const satisfies ReadonlyArray<keyof Subscriber>;

/** Confirmed subscribers per page of `confirmed()`. */
const PAGE = 100;

export class InMemorySubscriberStore implements SubscriberStore {
  private readonly subscribers = new Map<string, Subscriber>();

  async get(id: string): Promise<Subscriber | undefined> {
    const subscriber = this.subscribers.get(id);
    return subscriber && { ...subscriber };
  }

  async standings(ids: string[]): Promise<Map<string, SubscriberStanding>> {
    const found = new Map<string, SubscriberStanding>();
    for (const [id, { status, generation }] of await this.getMany(ids))
      found.set(id, { id, status, ...(generation !== undefined ? { generation } : {}) });
    return found;
  }

  async getMany(ids: string[]): Promise<Map<string, Subscriber>> {
    const found = new Map<string, Subscriber>();
    for (const id of ids) {
      const subscriber = this.subscribers.get(id);
      if (subscriber) found.set(id, { ...subscriber });
    }
    return found;
  }

  async save(subscriber: Omit<Subscriber, 'version'>, expectedVersion: number): Promise<Subscriber> {
    const current = this.subscribers.get(subscriber.id);
    if ((current?.version ?? 0) !== expectedVersion) {
      throw conflict('The subscriber changed meanwhile; read it again', [{ field: 'version', message: `is no longer ${expectedVersion}` }]);
    }
    const saved = pick({ ...subscriber, version: expectedVersion + 1 });
    this.subscribers.set(saved.id, saved);
    return { ...saved };
  }

  /** Ordered by id, as DynamoDB's index of confirmed subscribers is. */
  async *confirmed(range: ConfirmedRange = {}): AsyncIterable<ConfirmedReader[]> {
    const { after, from, before } = range;
    const inRange = (id: string) =>
      (after === undefined || id > after) && (from === undefined || id >= from) && (before === undefined || id < before);
    const confirmed = [...this.subscribers.values()]
      .filter((subscriber) => subscriber.status === 'confirmed' && inRange(subscriber.id))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(({ id, email, preferences, generation, confirmedAt }) =>
        Object.fromEntries(Object.entries({ id, email, preferences, generation, confirmedAt }).filter(([, v]) => v !== undefined)),
      ) as ConfirmedReader[];
    for (let i = 0; i < confirmed.length; i += PAGE) yield confirmed.slice(i, i + PAGE);
  }
}

function pick(subscriber: Subscriber): Subscriber {
  return Object.fromEntries(FIELDS.filter((f) => subscriber[f] !== undefined).map((f) => [f, subscriber[f]])) as unknown as Subscriber;
}
