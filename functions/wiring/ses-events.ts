/**
 * The SES events function's root: bounce and complaint notifications from the configuration
 * set suppress their address for good. Duplicates and late arrivals are harmless
 * (suppression only ever moves one way).
 */
import { readConfig } from '../config.js';
import { notificationSuppressor } from './delivery.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscriber-store.js';
import { createTableStores } from './table-stores.js';

export interface SesEventsRoot {
  /** Suppresses every hard bounce and complaint one notification names; how many addresses it newly suppressed. */
  suppressFrom(notification: string): Promise<number>;
}

export function sesEventsRoot(env: Record<string, string | undefined>): SesEventsRoot {
  return { suppressFrom: notificationSuppressor(createTableStores(readConfig(env), { subscribers: DynamoSubscriberStore })) };
}
