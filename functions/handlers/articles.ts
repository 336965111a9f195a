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

const { config, names, secretsExtension } = readLambdaConfig(process.env, ['PRESSRUN_API_TOKEN_SECRET_ID']);
const articles = new DynamoArticleStore(createDocumentClient({ region: config.region }), config.tableName);
const secrets = new SecretsExtension(secretsExtension);

// The secrets extension does not answer during init: the token is read by the first request that needs it.
const apiToken = () => secrets.get(names.PRESSRUN_API_TOKEN_SECRET_ID);

export const handler = handle(
  apiShell({ site: config.site, tables: [articleRoutes({ site: config.site, apiToken, articles, now: () => new Date() })] }),
);
