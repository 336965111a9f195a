/** The API function (HTTP API, payload 2.0): see wiring/api.ts for what it serves and why it is lean. */
import { handle } from 'hono/aws-lambda';
import { apiRoot } from '../wiring/api.js';

export const handler = handle(apiRoot(process.env));
