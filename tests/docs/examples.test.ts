/**
 * Every example in README.md and docs/*.md runs as written. Shell blocks run in order, one
 * bash per document (as a reader following it in one terminal), against one local server
 * started as `npm start` starts it, from the project folder; each must exit 0 and each HTTP
 * call must succeed, or answer the status its `# expect:` comment names. A shell block that
 * must not run here (installing, deploying, starting a server) says so in its fence,
 * ```sh no-run (and only such commands may be). Article examples (```markdown) must be
 * accepted by the API, JSON examples must parse, and every local URL the documents name
 * must answer.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockProblems,
  blockSummary,
  codeBlocks,
  httpProblems,
  isRunnable,
  isShell,
  projectRoot,
  runSession,
  startLocalServer,
  type CodeBlock,
  type LocalServer,
  type SessionResult,
} from './doc-examples.js';

const documents = [
  'README.md',
  ...readdirSync(join(projectRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const blocks = documents.flatMap((file) => codeBlocks(file, readFileSync(join(projectRoot, file), 'utf8')));
const name = (block: CodeBlock) => `${block.file}:${block.line} ${blockSummary(block)}`;

const withoutCodeBlocks = (markdown: string) => markdown.replace(/^\s*(```|~~~)[\s\S]*?^\s*\1/gm, '');

/** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchors(file: string): Set<string> {
  const text = withoutCodeBlocks(readFileSync(join(projectRoot, file), 'utf8'));
  return new Set(
    [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

describe('the examples of README.md and docs/', () => {
  it('are found: every document named in the README exists and has blocks', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\((docs\/[\w-]+\.md)\)/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(0);
    for (const doc of linked) expect(documents).toContain(doc);
    expect(blocks.filter(isRunnable).length).toBeGreaterThan(10);
  });

  it('each name a language, and each shell block either runs or is marked no-run', () => {
    expect(blocks.flatMap(blockProblems)).toEqual([]);
  });

  it('link to documents and headings that exist', () => {
    const broken: string[] = [];
    for (const file of documents) {
      const text = withoutCodeBlocks(readFileSync(join(projectRoot, file), 'utf8'));
      for (const [, target = '', anchor] of text.matchAll(/\]\((?!https?:|mailto:)([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        const linked = target === '' ? file : join(dirname(file), target);
        if (!existsSync(join(projectRoot, linked))) broken.push(`${file}: ${target} does not exist`);
        else if (anchor && linked.endsWith('.md') && !headingAnchors(linked).has(anchor))
          broken.push(`${file}: ${linked} has no #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(blocks.filter((b) => b.lang === 'json').map((b) => [name(b), b] as const))('%s parses as JSON', (_name, block) => {
    expect(() => JSON.parse(block.text) as unknown).not.toThrow();
  });

  it('leave unrun only what cannot run inside a test: installing, the test run and the server themselves, the cloud', () => {
    // Each command line of a no-run block, continuation lines aside.
    const commands = blocks
      .filter((b) => isShell(b) && !isRunnable(b))
      .flatMap((b) => b.text.split('\n').map((line) => ({ block: name(b), line: line.replace(/#.*$/, '').trim() })))
      .filter(({ line }, i, all) => line !== '' && !all[i - 1]?.line.endsWith('\\'));
    const unrunnable =
      /^(?:npm (?:install|ci|start|test|run synth|run test:cloud)|pip install 'moto\[server\]'|npx cdk (?:bootstrap|deploy)|npx pressrun \w+ .*--api <ApiUrl>|npx pressrun doctor |export PRESSRUN_API_TOKEN=\$\(aws )/;
    expect(commands.filter(({ line }) => !unrunnable.test(line))).toEqual([]);
    expect(commands.length).toBeGreaterThan(0);
  });
});

describe('the examples, run against a local server', () => {
  let server: LocalServer;
  const sessions = new Map<string, SessionResult>();
  const runnable = documents
    .map((file) => [file, blocks.filter((b) => b.file === file && isRunnable(b))] as const)
    .filter(([, b]) => b.length > 0);

  beforeAll(async () => {
    server = await startLocalServer();
    // The examples' own defaults (http://localhost:8787/, .data/api-token, http://localhost:1080/) give way to these.
    const env = { SITE: server.site, INBOX: server.inbox, PRESSRUN_API_TOKEN: server.token };
    for (const [file, fileBlocks] of runnable)
      sessions.set(file, await runSession(fileBlocks, { cwd: projectRoot, env, timeoutMs: 60_000 }));
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
  });

  for (const [file, fileBlocks] of runnable) {
    fileBlocks.forEach((block, index) => {
      it(`${name(block)}`, () => {
        const session = sessions.get(file)!;
        const run = session.runs[index]!;
        const transcript = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
        if (run.outcome === 'not-run') {
          const stopped = session.runs.find((r) => r.outcome === 'failed');
          expect.fail(`not run: the shell stopped earlier, at ${stopped ? name(stopped.block) : 'an exit'}`);
        }
        if (run.outcome === 'failed') {
          const why = session.timedOut
            ? 'was still running when the session ran out of its 60 s'
            : `stopped the shell (exit ${session.exitCode})`;
          expect.fail(`${name(block)} ${why}\n${transcript}`);
        }
        expect(httpProblems(block, run.calls), transcript).toEqual([]);
      });
    });
  }

  it.each(blocks.filter((b) => b.lang === 'markdown').map((b) => [name(b), b] as const))(
    '%s is an article POST /api/articles accepts',
    async (_name, block) => {
      const headers = { Authorization: `Bearer ${server.token}` };
      const created = await fetch(`${server.site}api/articles`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'text/markdown' },
        body: block.text,
      });
      const body = (await created.json()) as { slug?: string };
      expect(created.status, JSON.stringify(body)).toBe(201);
      const removed = await fetch(`${server.site}api/articles/${body.slug}`, { method: 'DELETE', headers });
      expect(removed.status).toBe(204);
    },
  );

  it('every local URL the documents name answers (on this server’s port)', async () => {
    const local = new Set<string>();
    for (const file of documents) {
      const text = readFileSync(join(projectRoot, file), 'utf8');
      // A URL with a placeholder in it (…/tags/<tag>/feed.xml, ${SITE}…, /api/…) names no one page.
      for (const [url, placeholder] of text.matchAll(/http:\/\/localhost:(?:8787|1080)\/[^\s)<>\]}"'`*|]*(<)?/g)) {
        if (!placeholder && !/[{$…]/.test(url)) local.add(url.replace(/[.,;:]+$/, ''));
      }
    }
    expect(local.size).toBeGreaterThan(3);
    const failing: string[] = [];
    for (const url of local) {
      const target = url.replace('http://localhost:8787/', server.site).replace('http://localhost:1080/', server.inbox);
      // As a browser asks: the inbox serves its app only to one that accepts HTML.
      const response = await fetch(target, { headers: { Accept: 'text/html,*/*;q=0.8' } });
      await response.arrayBuffer();
      if (!response.ok) failing.push(`${url} → ${response.status}`);
    }
    expect(failing).toEqual([]);
  });
});
