/**
 * SES bounce and complaint events, delivered by SNS from the configuration set: hard
 * bounces and complaints suppress their address for good. Duplicates and late arrivals are
 * harmless (suppression only ever moves one way). A failure throws, so SNS retries.
 */
import { createDocumentClient } from '../adapters/aws-clients.js';
import type { SnsEvent } from '../adapters/lambda-events.js';
import { createDeliveryStores, handleSesNotifications } from '../compose-delivery.js';
import { readConfig } from '../config.js';

const config = readConfig(process.env);
const stores = createDeliveryStores(createDocumentClient({ region: config.region }), config.tableName);

export const handler = async (event: SnsEvent): Promise<{ suppressed: number }> => handleSesNotifications(stores, event);
