/** The cold-start reference for the API function: a Hono app with one route behind the same Lambda adapter, bundled the same way. */
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

const app = new Hono();
app.get('/api/health', (c) => c.json({ status: 'ok' }));

export const handler = handle(app);
