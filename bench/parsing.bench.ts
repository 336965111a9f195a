/**
 * `npm run bench` (parsing part): inputs built to make the parsers slow or deep (issue #12, item 6),
 * each POSTed to /api/articles as text/markdown and as JSON through the API (`app.request`, an
 * in-memory article store), as a client sends them: article text as long as the API accepts,
 * Markdown that made marked super-linear, nesting past and at the limits, front matter with many
 * keys, aliases and levels, JSON and HTML nested deep, large tables, and a normal article as long as allowed.
 *
 * Each row gives the answer (201, or 422 and the field the problem names) and the time the server
 * spent on the request, which is almost all parsing: wall-clock, the best of two runs, and the CPU
 * time of that run (other work on a shared machine inflates the wall-clock time, not the CPU time).
 * Target: every request at most 1 s on this machine; the worst case is named.
 *
 * One input can be chosen by name: `node --import tsx bench/parsing.bench.ts '"_a" runs'`; a smaller
 * body, to see how times grow, with `BENCH_PARSING_CHARS=250000`.
 */
import { createApp } from '../functions/http/app.js';
import { MAX_ARTICLE_CHARACTERS } from '../functions/core/content/article-input-schema.js';
import { MAX_BODY_BYTES } from '../functions/http/body.js';
import { InMemoryArticleStore } from '../tests/support/fakes/article-store.js';
import { InMemoryDigestStore } from '../tests/support/fakes/digest-store.js';
import { InMemoryPublishRunStore } from '../tests/support/fakes/publish-run-store.js';
import { RecordingTrigger } from '../tests/support/fakes/publish-trigger.js';
import { makeSite } from '../tests/support/factories.js';

const TARGET_MS = 1_000;
/** The longest article text the API takes (MAX_ARTICLE_CHARACTERS), less room for the front matter. */
const BODY_CHARS = Number(process.env.BENCH_PARSING_CHARS ?? MAX_ARTICLE_CHARACTERS - 6_000);
const TOKEN = 'bench-api-token';

interface Input {
  name: string;
  /** The Markdown body: sent after a front matter with a title, and as the JSON `body`. */
  body?: (chars: number) => string;
  /** Front matter lines to send instead of a title alone (Markdown only). */
  frontMatter?: string;
  /** A JSON article body (JSON only), for inputs about JSON or the `html` field. */
  json?: (chars: number) => string;
}

const repeat = (unit: string) => (chars: number) => unit.repeat(Math.floor(chars / unit.length));
const lines = (line: (i: number) => string) => (chars: number) => {
  const out: string[] = [];
  for (let i = 0, length = 0; length < chars; i++) length += (out[i] = line(i)).length + 1;
  return out.slice(0, -1).join('\n');
};
const keys = (count: number) => Array.from({ length: count }, (_, i) => `key${i}: value`).join('\n');
let titles = 0;
const htmlJson = (html: (chars: number) => string) => (chars: number) => JSON.stringify({ title: `HTML ${++titles}`, html: html(chars) });
const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'].concat(
  [...'bcdefghi'].map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
);

const NORMAL = [
  '## A heading\n',
  'The *harbour* reopened on **Tuesday** after a [week of repairs](https://example.com/repairs), said `the-port`.',
  '> A quote from the harbour master, with a list:\n>\n> - ferries run\n> - the café is open\n',
  '| Ferry | Leaves |\n|---|---|\n| North | 09:00 |\n| South | 10:30 |\n',
  '```js\nconsole.log("timetable");\n```\n',
];

const CORPUS: Input[] = [
  { name: 'a normal article', body: lines((i) => NORMAL[i % NORMAL.length]!) },
  // Inline runs: each character can start a token.
  ...[
    '_a',
    'a_',
    '*a',
    'a*',
    '**a',
    '__a',
    '~a',
    '~~a',
    // After punctuation: a delimiter that may close, as far as marked can tell.
    '(*a',
    '(_a',
    '(~a',
    '(**a',
    '[',
    '[a',
    '[a](',
    '[a](b',
    '![',
    '![a](',
    '`',
    '`a',
    '``\\',
    '\\``a',
    '<',
    '<a',
    '<a ',
    '\\',
    '&#1;',
  ].map((unit) => ({ name: `"${unit}" runs`, body: repeat(unit) })),
  ...['a@', 'a.a@', 'www.a', 'http://a', 'mailto:a', 'a@a.'].map((unit) => ({ name: `"${unit}" runs`, body: repeat(unit) })),
  { name: 'emphasis nested 32 deep, repeated', body: lines(() => `${'*a _'.repeat(16)}x${'_ a*'.repeat(16)}`) },
  { name: '"www." runs, then "))!" runs', body: (chars) => `${'www.'.repeat(chars / 8)}${'))!'.repeat(chars / 6)}` },
  { name: '"* " all along one line, then lines', body: (chars) => `${'* '.repeat(chars / 4)}(${'\nx('.repeat(chars / 8)}` },
  { name: 'spaces, then a word', body: (chars) => `${' '.repeat(chars - 1)}x` },
  { name: 'a run of "*", then "a*" runs', body: (chars) => `${'*'.repeat(chars / 2)}${'a* '.repeat(chars / 6)}` },
  { name: 'a run of "_", then "a_{" runs', body: (chars) => `${'_'.repeat(chars / 2)}${'a_{'.repeat(chars / 6)}` },
  { name: '"(*a" runs, then one closer', body: (chars) => `${'(*a'.repeat(Math.floor((chars - 2) / 3))}a*` },
  {
    name: '"(**a" runs, then "a*b" runs',
    body: (chars) => `${'(**a'.repeat(Math.floor(chars / 8))}${'a*b '.repeat(Math.floor(chars / 8))}`,
  },
  { name: 'emphasis nested 2,000 deep', body: () => `${'*a **b '.repeat(1_000)}x${' b** a*'.repeat(1_000)}` },
  // Blocks
  { name: '">" all along one line', body: (chars) => `${'>'.repeat(chars - 2)} a` },
  { name: 'blockquotes 32 deep on every line', body: lines(() => `${'>'.repeat(32)} a`) },
  { name: 'lists 32 deep, over and over', body: lines((i) => `${'  '.repeat(i % 32)}- a`) },
  { name: 'quotes and lists 1 to 1,000 deep', body: lines((i) => `${'> - '.repeat(i % 1_000)}a`) },
  { name: 'setext headings', body: repeat('a\n=\n') },
  { name: 'a list item of plain lines', body: (chars) => `* x\n${'  abc def\n'.repeat(chars / 10 - 1)}` },
  { name: 'fences opened, never closed', body: repeat('```\n') },
  { name: '"~~~" after every line', body: repeat('a\n~~~\n') },
  { name: 'reference definitions', body: lines((i) => (i % 2 ? `[r${i}]: /u${i}` : `[r${i + 1}]`)) },
  { name: 'an HTML comment never closed', body: (chars) => `Text.\n\n<!--${'a'.repeat(chars - 11)}` },
  { name: 'a table of 2 columns', body: (chars) => `| a | b |\n|---|---|\n${lines((i) => `|${i}|y|`)(chars - 20)}` },
  { name: 'a table as wide as allowed', body: (chars) => `|${'a|'.repeat(chars / 6)}\n|${'-|'.repeat(chars / 6)}` },
  { name: '<div> all along', body: repeat('<div>') },
  // HTML sent as such
  { name: 'html: <div> all along', json: htmlJson(repeat('<div>')) },
  { name: 'html: a cell of colspan 100000', json: htmlJson(() => '<table><tr><td colspan="100000" rowspan="65534">x</td></tr></table>') },
  {
    name: 'html: a table as long as allowed',
    json: htmlJson((chars) => `<table>${'<tr><td>a</td><td>b</td></tr>'.repeat(chars / 36)}</table>`),
  },
  // Front matter
  { name: 'front matter: 60,000 keys', frontMatter: keys(60_000) },
  { name: 'front matter: 1,000 keys', frontMatter: keys(999) },
  { name: 'front matter: 1,001 keys', frontMatter: keys(1_000) },
  { name: 'front matter: billion laughs', frontMatter: laughs.join('\n') },
  { name: 'front matter: aliases 100 times', frontMatter: `x: &x [a, b]\ny: [${Array(100).fill('*x').join(', ')}]` },
  { name: 'front matter: 16 levels', frontMatter: `x: ${'['.repeat(15)}${']'.repeat(15)}` },
  { name: 'front matter: 300,000 levels', frontMatter: `x: ${'['.repeat(300_000)}${']'.repeat(300_000)}` },
  { name: 'front matter: 64 KB of comments', frontMatter: '#\n'.repeat(32_000) },
  { name: 'front matter: 63,000 "]"', frontMatter: `x: ${']'.repeat(63_000)}` },
  { name: 'front matter: 64 KB flow list', frontMatter: `x: [${'a,'.repeat(32_000)}]` },
  // JSON
  { name: 'JSON nested 32 deep', json: () => `{"title":"Deep ${++titles}","body":"x","deep":${'['.repeat(31)}${']'.repeat(31)}}` },
  { name: 'JSON nested 500,000 deep', json: () => `{"title":"Deep","body":"x","deep":${'['.repeat(500_000)}${']'.repeat(500_000)}}` },
];

/**
 * The deployed API keeps articles in DynamoDB, not in its heap: each one is deleted once its request
 * is answered, or the hundreds of MB of HTML the corpus creates would swell every later request's
 * garbage collection (a JSON request after its Markdown twin took up to 1.6× as long).
 */
const articles = new InMemoryArticleStore();
const app = createApp({
  site: makeSite(),
  apiToken: TOKEN,
  articles,
  runs: new InMemoryPublishRunStore(),
  publisher: new RecordingTrigger(),
  digests: new InMemoryDigestStore(),
  previewDigest: async () => undefined,
  now: () => new Date('2025-06-01T12:00:00Z'),
  newId: () => 'bench-run',
});

let posted = 0;
/** The request for an input on one path, or undefined when the input has none there. */
function requestFor(input: Input, path: 'markdown' | 'json'): { type: string; body: string } | undefined {
  const title = `Bench ${++posted}`;
  if (path === 'markdown') {
    if (input.json) return undefined;
    const frontMatter = `title: ${title}${input.frontMatter ? `\n${input.frontMatter}` : ''}`;
    return { type: 'text/markdown', body: `---\n${frontMatter}\n---\n${input.body?.(BODY_CHARS) ?? 'Text.'}` };
  }
  if (input.frontMatter) return undefined;
  // The largest body whose JSON (escapes included) the API still takes.
  for (let chars = BODY_CHARS; ; chars = Math.floor(chars * 0.9)) {
    const body = input.json ? input.json(chars) : JSON.stringify({ title, body: input.body!(chars) });
    if (Buffer.byteLength(body) < MAX_BODY_BYTES - 1_000) return { type: 'application/json', body };
  }
}

interface Result {
  answer: string;
  ms: number;
  cpuMs: number;
}

async function post(input: Input, path: 'markdown' | 'json'): Promise<Result | undefined> {
  let best: Result | undefined;
  for (let run = 0; run < 2; run++) {
    const request = requestFor(input, path);
    if (!request) return undefined;
    const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': request.type };
    const [started, cpu] = [performance.now(), process.cpuUsage()];
    const response = await app.request('/api/articles', { method: 'POST', headers, body: request.body });
    const text = await response.text();
    const [ms, used] = [performance.now() - started, process.cpuUsage(cpu)];
    if (response.status === 201) await articles.delete((JSON.parse(text) as { slug: string }).slug);
    const field = response.ok ? '' : ` ${(JSON.parse(text) as { errors?: Array<{ field: string }> }).errors?.[0]?.field ?? ''}`;
    if (!best || ms < best.ms) best = { answer: `${response.status}${field}`, ms, cpuMs: (used.user + used.system) / 1000 };
  }
  return best;
}

const only = process.argv[2];
const column = (result: Result | undefined) =>
  result ? `${result.answer.padEnd(16)} ${result.ms.toFixed(0).padStart(6)} ms ${result.cpuMs.toFixed(0).padStart(6)} cpu` : ''.padEnd(37);
console.log(`\nParsing: pathological inputs to POST /api/articles (target ≤ ${TARGET_MS} ms each)`);
console.log(`${'input'.padEnd(40)} ${'text/markdown'.padEnd(37)}  application/json`);
let worst = { name: '', path: '', ms: 0 };
for (const input of CORPUS.filter((i) => !only || i.name.includes(only))) {
  const results = { markdown: await post(input, 'markdown'), json: await post(input, 'json') };
  console.log(`${input.name.padEnd(40)} ${column(results.markdown)}  ${column(results.json)}`);
  for (const [path, result] of Object.entries(results)) {
    if (result && result.ms > worst.ms) worst = { name: input.name, path, ms: result.ms };
  }
}
const verdict = worst.ms <= TARGET_MS ? `ok (target ≤ ${TARGET_MS} ms)` : `OVER the ${TARGET_MS} ms target`;
console.log(`worst: ${worst.name} (${worst.path}), ${worst.ms.toFixed(0)} ms: ${verdict}`);
