/**
 * The publish function (schedule and table stream; reserved concurrency one, so publishes
 * never overlap), the chunk function (a fanned-out full publish's chunks, in parallel) and the
 * preview function (GET /api/digest/preview), from one bundle.
 */
import { handle } from 'hono/aws-lambda';
import { publishRoot } from '../wiring/publish.js';
import { publishChunks } from './publish-chunks.js';
import { publishEvents } from './publish-events.js';

const root = publishRoot(process.env);
export const handler = publishEvents(root);
export const preview = handle(root.previewApp);
export const chunks = publishChunks(root);
