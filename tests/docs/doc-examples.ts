/**
 * What the docs test needs: the fenced code blocks of a Markdown file, a local server started
 * the way `npm start` starts it (isolated: its own port and data folder, mail ports chosen by
 * the system), and a bash session that runs a document's shell blocks in order, as a reader
 * following the document in one terminal would, recording every HTTP status curl got.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { freePort } from '../support/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Fence languages that are shell: each such block runs, unless its info string says `no-run`. */
export const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
export const NO_RUN = 'no-run';
/** Languages that are not commands, and what the test does with them. */
export const CHECKED_LANGUAGES: Record<string, string> = {
  text: 'shown as it is (diagrams, trees, sample output)',
  markdown: 'an article file: sent to POST /api/articles, which must accept it',
  json: 'must parse as JSON',
};

export interface CodeBlock {
  /** The Markdown file, relative to the project root. */
  file: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  /** The first word of the info string. */
  lang: string;
  /** The other words of the info string. */
  flags: string[];
  text: string;
}

/** The fenced code blocks of a Markdown text (``` or ~~~, indented or not), in order. */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j]!)) {
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!.trimStart());
      j++;
    }
    const [lang = '', ...flags] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({ file, line: i + 1, lang: lang.toLowerCase(), flags, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

export const isShell = (block: CodeBlock) => SHELL_LANGUAGES.has(block.lang);
export const isRunnable = (block: CodeBlock) => isShell(block) && !block.flags.includes(NO_RUN);

/** The rules every block is held to; an empty list when it keeps them. */
export function blockProblems(block: CodeBlock): string[] {
  const where = `${block.file}:${block.line}`;
  if (block.lang === '')
    return [`${where}: a fence without a language; name one (${[...Object.keys(CHECKED_LANGUAGES), 'sh'].join(', ')})`];
  if (isShell(block)) {
    const unknown = block.flags.filter((flag) => flag !== NO_RUN);
    if (unknown.length > 0) return [`${where}: unknown fence flag ${unknown.join(' ')}; the only one is ${NO_RUN}`];
    if (isRunnable(block) && /(?:^|\s)(?:-w|--write-out)(?:\s|=|$)/m.test(block.text)) {
      return [`${where}: curl's --write-out is how the test reads each call's status; show the status another way (-i, or -f)`];
    }
    return [];
  }
  if (!Object.hasOwn(CHECKED_LANGUAGES, block.lang)) {
    return [
      `${where}: a ${block.lang} block is neither run nor checked; use sh (run, or marked ${NO_RUN}) or one of ${Object.keys(CHECKED_LANGUAGES).join(', ')}`,
    ];
  }
  return [];
}

/** A one-line name for a block: its first line that is not a comment or a variable set-up. */
export function blockSummary(block: CodeBlock): string {
  const lines = block.text.split('\n').map((l) => l.trim());
  const line = lines.find((l) => l !== '' && !l.startsWith('#') && !/^[A-Z_]+=/.test(l)) ?? lines.find((l) => l !== '') ?? '';
  return line.length > 70 ? `${line.slice(0, 67)}…` : line;
}

/**
 * The statuses an example says a command answers with, by the block line each command
 * starts on: a comment `# expect: 409` (or `# expect: 200 or 404`) on any line of a command
 * (a command continues over lines ending in a backslash, and over a here-document).
 */
export function expectations(block: CodeBlock): { commandOf: (line: number) => number; expected: Map<number, number[]> } {
  const lines = block.text.split('\n');
  const startOf: number[] = [];
  let start = 0;
  let heredoc: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    startOf[i] = start;
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
    } else {
      heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(line)?.[1];
    }
    if (heredoc === undefined && !line.endsWith('\\')) start = i + 1;
  }
  const expected = new Map<number, number[]>();
  lines.forEach((line, i) => {
    const match = /#\s*expect:\s*(\d{3}(?:\s*(?:or|,|\|)\s*\d{3})*)\s*$/.exec(line);
    if (match) expected.set(startOf[i]! + 1, match[1]!.split(/\D+/).filter(Boolean).map(Number));
  });
  return { commandOf: (line) => (startOf[line - 1] ?? line - 1) + 1, expected };
}

export interface HttpCall {
  /** The block line curl was called from (1-based). */
  line: number;
  status: number;
  method: string;
  url: string;
}

/** What went wrong with a block's HTTP calls: an unexpected status, or an expected one that never came. */
export function httpProblems(block: CodeBlock, calls: HttpCall[]): string[] {
  const { commandOf, expected } = expectations(block);
  const problems: string[] = [];
  const answered = new Set<number>();
  for (const call of calls) {
    const command = commandOf(call.line);
    const allowed = expected.get(command);
    const where = `${block.file}:${block.line + call.line} ${call.method} ${call.url}`;
    if (allowed) {
      answered.add(command);
      if (!allowed.includes(call.status)) problems.push(`${where} answered ${call.status}, the example says ${allowed.join(' or ')}`);
    } else if (call.status < 100 || call.status >= 400) {
      problems.push(`${where} answered ${call.status || 'nothing (no connection)'}`);
    }
  }
  for (const [command, allowed] of expected) {
    if (!answered.has(command))
      problems.push(`${block.file}:${block.line + command}: expects ${allowed.join(' or ')} but made no HTTP call`);
  }
  return problems;
}

export interface BlockRun {
  block: CodeBlock;
  /** ran: the shell went past it; failed: the shell stopped in it; not-run: an earlier block stopped the shell. */
  outcome: 'ran' | 'failed' | 'not-run';
  stdout: string;
  stderr: string;
  calls: HttpCall[];
}

export interface SessionResult {
  runs: BlockRun[];
  exitCode: number | null;
  timedOut: boolean;
}

const BLOCK_MARK = '@@pressrun-block';
const HTTP_MARK = '@@pressrun-http';

/**
 * Runs the blocks in order in one bash (set -euo pipefail), from `cwd`, with only `env` (and
 * PATH, HOME) in its environment. curl is wrapped so each call's status lands on stderr with
 * the line it was called from; the blocks' own text is run exactly as written.
 */
export async function runSession(blocks: CodeBlock[], options: { cwd: string; env: Record<string, string>; timeoutMs: number }) {
  const header = [
    'set -euo pipefail',
    `curl() { command curl --write-out "%{stderr}${HTTP_MARK} \${BASH_LINENO[0]} %{http_code} %{method} %{url_effective}\\n" "$@"; }`,
  ];
  const script = [...header];
  const starts: number[] = [];
  blocks.forEach((block, i) => {
    script.push(`printf '\\n${BLOCK_MARK} ${i}\\n'; printf '\\n${BLOCK_MARK} ${i}\\n' >&2`);
    starts.push(script.length + 1);
    script.push(...block.text.split('\n'));
  });
  script.push(`printf '\\n${BLOCK_MARK} end\\n'; printf '\\n${BLOCK_MARK} end\\n' >&2`);

  const dir = await mkdtemp(join(tmpdir(), 'pressrun-docs-session-'));
  const file = join(dir, 'session.sh');
  await writeFile(file, `${script.join('\n')}\n`);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, LANG: 'C.UTF-8', ...options.env };
  const child = spawn('bash', [file], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  await rm(dir, { recursive: true, force: true });

  const out = splitByBlock(stdout);
  const err = splitByBlock(stderr);
  const calls = [...stderr.matchAll(new RegExp(`${HTTP_MARK} (\\d+) (\\d{3}) (\\S+) (\\S+)`, 'g'))].map((m) => ({
    scriptLine: Number(m[1]),
    status: Number(m[2]),
    method: m[3]!,
    url: m[4]!,
  }));
  const finished = out.has('end');
  const started = blocks.map((_, i) => out.has(String(i)));
  const lastStarted = started.lastIndexOf(true);
  const runs: BlockRun[] = blocks.map((block, i) => {
    const lines = block.text.split('\n').length;
    const outcome = !started[i] ? 'not-run' : finished || i < lastStarted ? 'ran' : 'failed';
    return {
      block,
      outcome,
      stdout: out.get(String(i)) ?? '',
      stderr: (err.get(String(i)) ?? '').replace(new RegExp(`${HTTP_MARK} [^\\n]*\\n`, 'g'), ''),
      calls: calls
        .filter((c) => c.scriptLine >= starts[i]! && c.scriptLine < starts[i]! + lines)
        .map(({ scriptLine, ...call }) => ({ ...call, line: scriptLine - starts[i]! + 1 })),
    };
  });
  return { runs, exitCode, timedOut } satisfies SessionResult;
}

/** The text after each block mark, by the block's index ("end" after the last). */
function splitByBlock(text: string): Map<string, string> {
  const parts = text.split(new RegExp(`\\n?${BLOCK_MARK} (\\w+)\\n`));
  const byBlock = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) byBlock.set(parts[i]!, parts[i + 1] ?? '');
  return byBlock;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export interface LocalServer {
  /** The site's base URL, with its trailing slash; the API is under `api`. */
  site: string;
  /** The local inbox (maildev's web app), with its trailing slash. */
  inbox: string;
  /** The API token the server generated, as `npm start` does (kept in the data folder). */
  token: string;
  dataDir: string;
  /** What the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The local server exactly as `npm start` runs it (package.json's "start"), on a free port with
 * a data folder of its own and the mail catcher on ports the system picks; resolves once
 * /api/health answers and the banner names the inbox.
 */
export async function startLocalServer(options: { timeoutMs?: number } = {}): Promise<LocalServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'pressrun-docs-data-'));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PRESSRUN_') && !name.startsWith('VITEST') && name !== 'NODE_OPTIONS'),
  );
  const env = {
    ...inherited,
    PORT: String(port),
    PRESSRUN_DATA_DIR: dataDir,
    PRESSRUN_SMTP_PORT: '0',
    PRESSRUN_MAILDEV_WEB_PORT: '0',
  };
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', 'functions/local/server.ts'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const inbox = /Inbox:\s+(http:\/\/\S+\/)/.exec(output)?.[1];
    if (inbox && (await answers(`http://127.0.0.1:${port}/api/health`))) {
      const token = (await readFile(join(dataDir, 'api-token'), 'utf8')).trim();
      return { site: `http://localhost:${port}/`, inbox, token, dataDir, output: () => output, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`The local server did not come up (${child.exitCode !== null ? `exit ${child.exitCode}` : 'timed out'}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}
