/**
 * `npm start`: the whole pipeline on this machine. Starts s3rver, dynalite and an SMTP
 * catcher in-process (data under .data/), serves the site and the API on one port, resumes
 * the digest sends a stopped process left unfinished, imports content/ and publishes, and
 * republishes when a file in content/ changes, when an article is written through the API,
 * and when an article dated in the future comes due.
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { ConfigError } from '../config.js';
import { projectRoot, startLocalStack } from '../wiring/local.js';
import { DataDirInUse } from './data-lock.js';
import { createLocalApp } from './local-app.js';
import { portProblem } from './listen-port.js';
import { PortInUse } from './maildev.js';
import { watchContent } from './watch-content.js';

const port = portFrom(process.env.PORT ?? '8787');
const hostname = process.env.HOST ?? '127.0.0.1';
const log = (line: string) => console.log(line);

/** The port to serve on; PORT set to anything else ends the start here, saying so. */
function portFrom(value: string): number {
  const problem = portProblem(value);
  if (problem === undefined) return Number(value);
  console.error(problem);
  process.exit(2);
}

const stack = await startLocalStack({
  // The SMTP catcher's usual ports, unless the environment names others (0: any free port).
  env: { PRESSRUN_SMTP_PORT: '1025', PRESSRUN_MAILDEV_WEB_PORT: '1080', ...process.env },
  port,
  log,
  holder: { command: 'npm start', url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${port}/` },
}).catch((error: unknown) => {
  if (!(error instanceof DataDirInUse || error instanceof ConfigError || error instanceof PortInUse)) throw error;
  console.error(error.message);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
const contentDir = join(projectRoot.pathname, 'content');
const local = createLocalApp(stack, { contentDir, log });

const base = stack.config.site.baseUrl;
const banner = `
Pressrun is running.
  Site:       ${base}
  Feeds:      ${base}feed.xml  ${base}atom.xml  ${base}feed.json
  API:        ${base}api  (OpenAPI: ${base}api/openapi.json)
  API token:  ${stack.apiToken}
  Inbox:      ${stack.mail.inboxUrl ?? '(no web inbox)'}  (every mail Pressrun sends lands here; SMTP on port ${stack.mail.smtp.port})
  Data:       ${stack.dataDir}
Edit a file in content/ or write an article through the API and the site republishes. Subscribe
with the form on the site, confirm from the mail in the inbox, and the next publish with a new
article mails you its digest.`;

// The cloud's schedule ticks the rounds of the per-article, daily and weekly readers; here a minute timer does.
const rounds = setInterval(
  () => stack.tickRounds().catch((error: unknown) => console.error('planning a round failed:', error)),
  Number(process.env.PRESSRUN_ROUND_TICK_MS ?? 60_000),
);

// Answering first: readers get what is published while the first run catches up with what changed
// since the last start (a restart after thousands of writes would otherwise keep the port closed
// for the whole publish), as CloudFront serves the bucket while the publish function runs. The
// banner follows the first publish, so the site it names shows content/ as it is.
const server = serve({ fetch: local.app.fetch, port, hostname }, () =>
  console.log(`Serving ${base} (what is published) while content/ is imported and what changed since the last start is published…`),
);
server.once('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} on ${hostname} is in use by another program (another npm start?): set PORT to a free one, e.g. PORT=${port + 1} npm start`
      : `Cannot serve on ${hostname}:${port}: ${error.message}`,
  );
  void shutdown(1);
});

// Watching before the first import, so a save made while it runs is not missed.
const watcher = watchContent(contentDir, () => local.publisher.publishNow(), {
  onError: (error) => console.error('republish failed:', error),
});
await watcher.ready();
// Runs and sends a stopped process left unfinished first (the run store and the ledger know them), then what changed meanwhile.
local.publisher
  .recoverRuns()
  .then(() => stack.resumeSends())
  .catch((error: unknown) => console.error('resuming unfinished sends failed:', error))
  .then(() => local.publisher.publishNow())
  .catch((error: unknown) => console.error('the first publish failed:', error))
  .finally(() => console.log(banner));

async function shutdown(code = 0) {
  clearInterval(rounds);
  await watcher.close();
  await local.publisher.close();
  server.close();
  await watcher.settled();
  await stack.close();
  process.exit(code);
}
process.once('SIGINT', () => shutdown());
process.once('SIGTERM', () => shutdown());
