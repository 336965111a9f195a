/** The articles function: /api/articles* behind the HTTP API (wiring/articles.ts). */
import { handle } from 'hono/aws-lambda';
import { articlesRoot } from '../wiring/articles.js';

export const handler = handle(articlesRoot(process.env));
