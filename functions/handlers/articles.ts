/**
 * The article routes (/api/articles*) behind API Gateway: the one part of the API that parses
 * Markdown and sanitizes HTML. A function of its own so the API function, which readers'
 * subscribe, confirm and unsubscribe requests start cold, does not load the parser.
 */
import { handle } from 'hono/aws-lambda';
import { createDocumentClient } from '../adapters/aws-clients.js';
import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { SecretsExtension } from '../adapters/secrets-extension.js';
import { readLambdaConfig } from '../config.js';
import { apiShell } from '../http/api-shell.js';
import { articleRoutes } from '../http/articles.js';
import { onceAtATime } from './once.js';

const { config, names, secretsExtension } = readLambdaConfig(process.env, ['PRESSRUN_API_TOKEN_SECRET_ID']);
const articles = new DynamoArticleStore(createDocumentClient({ region: config.region }), config.tableName);
const secrets = new SecretsExtension(secretsExtension);

// Built on the first request: the secrets extension does not answer during init.
const app = onceAtATime(async () => {
  const apiToken = await secrets.get(names.PRESSRUN_API_TOKEN_SECRET_ID);
  return handle(apiShell({ site: config.site, tables: [articleRoutes({ site: config.site, apiToken, articles, now: () => new Date() })] }));
});

export const handler = async (...args: Parameters<Awaited<ReturnType<typeof app>>>) => (await app())(...args);
