/** SES bounce and complaint events, delivered by SNS from the configuration set (wiring/ses-events.ts). */
import { sesEventsRoot } from '../wiring/ses-events.js';
import { sesNotifications } from './ses-notifications.js';

export const handler = sesNotifications(sesEventsRoot(process.env));
