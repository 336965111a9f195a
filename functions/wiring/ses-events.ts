/**
 * The SES events function's root: bounce and complaint notifications from the configuration
 * set suppress their address for good, and count against the send of the digest they came
 * from (its guardrails). Duplicates and late arrivals are harmless (suppression only ever
 * moves one way, and an address is counted only by the notification that suppresses it).
 */
import { readConfig } from '../config.js';
import { notificationSuppressor } from './delivery.js';
import { DynamoSendLedger } from '../adapters/dynamo-send-ledger.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscriber-store.js';
import { createTableStores } from './table-stores.js';

export interface SesEventsRoot {
  /** Suppresses (and counts against its digest's send) every hard bounce and complaint one notification names; how many addresses it newly suppressed. */
  suppressFrom(notification: string): Promise<number>;
}

export function sesEventsRoot(env: Record<string, string | undefined>): SesEventsRoot {
  return {
    suppressFrom: notificationSuppressor(
      createTableStores(readConfig(env), { subscribers: DynamoSubscriberStore, ledger: DynamoSendLedger }),
    ),
  };
}
