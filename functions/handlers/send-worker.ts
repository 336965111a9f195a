/** The send worker: SQS delivers digest batches and queued mails (wiring/send-worker.ts). */
import { sendWorkerRoot } from '../wiring/send-worker.js';
import { sendMessages } from './send-messages.js';

export const handler = sendMessages(sendWorkerRoot(process.env));
