/**
 * `npm start`: the whole pipeline on this machine. Starts s3rver and dynalite in-process
 * (data under .data/), imports content/, publishes, serves the site and the API on one
 * port, and republishes when a file in content/ changes.
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createLocalApp } from './local-app.js';
import { projectRoot, startLocalStack } from '../wiring/local.js';
import { watchContent } from './watch-content.js';

const port = Number(process.env.PORT ?? 8787);
// The SMTP catcher's usual ports, unless the environment names others (0: any free port).
const stack = await startLocalStack({
  env: { PRESSRUN_SMTP_PORT: '1025', PRESSRUN_MAILDEV_WEB_PORT: '1080', ...process.env },
  port,
  log: (line) => console.log(line),
});
const contentDir = join(projectRoot.pathname, 'content');
const local = createLocalApp(stack, { contentDir, log: (line) => console.log(line) });

await local.importAndPublish();

const server = serve({ fetch: local.app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, () => {
  const base = stack.config.site.baseUrl;
  console.log(`
Pressrun is running.
  Site:       ${base}
  Feeds:      ${base}feed.xml  ${base}atom.xml  ${base}feed.json
  API:        ${base}api  (OpenAPI: ${base}api/openapi.json)
  API token:  ${stack.apiToken}
  Inbox:      ${stack.mail.inboxUrl ?? '(no web inbox)'}  (every mail Pressrun sends lands here; SMTP on port ${stack.mail.smtp.port})
  Data:       ${stack.dataDir}
Edit a file in content/ and the site republishes. Subscribe with the form on the site,
confirm from the mail in the inbox, and the next publish with a new article mails you its digest.`);
});

const watcher = watchContent(contentDir, () => local.importAndPublish(), { onError: (error) => console.error('republish failed:', error) });

const shutdown = async () => {
  watcher.close();
  server.close();
  await watcher.settled();
  await local.queue.idle();
  await stack.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
