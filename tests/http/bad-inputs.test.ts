/**
 * Every way a client can get a request wrong, across every route: each answer is the exact
 * 4xx, an RFC 9457 problem, and names the field to fix. None may ever be a 5xx.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/http/body.js';
import { makeArticle } from '../support/factories.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { API_TOKEN, articleJson, auth, buildApi, jsonHeaders, readJson, type ProblemJson } from './harness.js';

let aws: LocalAws;
let api: ReturnType<typeof buildApi>;

/** An article every row that needs one can point at; nothing in the table may change it. */
const EXISTING = 'existing-article';

beforeAll(async () => {
  aws = await startLocalAws();
  api = buildApi(aws);
  await api.deps.articles.create(makeArticle({ slug: EXISTING }));
});
afterAll(() => aws.close());

interface BadRequest {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A function when the body is a stream, which can be read only once. */
  body?: string | Uint8Array | (() => ReadableStream<Uint8Array>);
  status: number;
  /** The errors[].field that must be present; or, for problems about no field, a pattern the detail must match. */
  field?: string;
  detail?: RegExp;
}

const json = (value: unknown) => JSON.stringify(value);
const post = (name: string, body: unknown, status: number, field: string): BadRequest => ({
  name,
  method: 'POST',
  path: '/api/articles',
  headers: jsonHeaders,
  body: json(body),
  status,
  field,
});
const put = (name: string, headers: Record<string, string>, body: unknown, status: number, field: string, slug = EXISTING): BadRequest => ({
  name,
  method: 'PUT',
  path: `/api/articles/${slug}`,
  headers: { ...jsonHeaders, ...headers },
  body: typeof body === 'string' ? body : json(body),
  status,
  field,
});
const markdown = (name: string, text: string | Uint8Array, status: number, field: string): BadRequest => ({
  name,
  method: 'POST',
  path: '/api/articles',
  headers: { ...auth, 'Content-Type': 'text/markdown' },
  body: text,
  status,
  field,
});
const oneByteTooMany = () => 'x'.repeat(MAX_BODY_BYTES + 1);
/** More than the limit in 64 KB chunks, with no Content-Length: only counting the bytes can catch it. */
const streamOverLimit = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) controller.enqueue(chunk);
      controller.close();
    },
  });
/** Text gzip cannot shrink much: random bytes in base64. */
const incompressibleText = (length: number) =>
  randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64')
    .slice(0, length);
const wrongTokenSameLength = API_TOKEN.slice(0, -1) + (API_TOKEN.endsWith('a') ? 'b' : 'a');

const rows: BadRequest[] = [
  // Bodies that are not JSON, or not an object
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/api/articles',
    headers: jsonHeaders,
    body: '{title: "unquoted key"}',
    status: 400,
    field: 'body',
  },
  {
    name: 'truncated JSON',
    method: 'POST',
    path: '/api/articles',
    headers: jsonHeaders,
    body: '{"title": "Hi", "body": "x"',
    status: 400,
    field: 'body',
  },
  { name: 'an empty JSON body', method: 'POST', path: '/api/articles', headers: jsonHeaders, body: '', status: 400, field: 'body' },
  post('a JSON array instead of an object', [articleJson()], 400, 'body'),
  post('a JSON string instead of an object', 'an article', 400, 'body'),
  post('JSON null', null, 400, 'body'),
  // Fields of the wrong type, missing, unknown or out of range
  post('a number as title', articleJson({ title: 5 }), 422, 'title'),
  post('a number as tags', articleJson({ tags: 5 }), 422, 'tags'),
  post('a number among the tags', articleJson({ tags: ['ok', 5] }), 422, 'tags.1'),
  post('"yes" as draft', articleJson({ draft: 'yes' }), 422, 'draft'),
  post('no title', articleJson({ title: undefined }), 422, 'title'),
  post('neither body nor html', articleJson({ body: undefined }), 422, 'body'),
  post('an unknown field', articleJson({ colour: 'blue' }), 422, 'colour'),
  post('an empty title', articleJson({ title: '' }), 422, 'title'),
  post('a title of only spaces', articleJson({ title: '   ' }), 422, 'title'),
  post('a title of 301 characters', articleJson({ title: 'x'.repeat(301) }), 422, 'title'),
  post('a date that does not exist', articleJson({ published: '2025-02-30' }), 422, 'published'),
  // What the feed gate would refuse at every publish is refused when it is written.
  post('an update dated after now and the publication', articleJson({ updated: '2099-01-01' }), 422, 'updated'),
  post('an id a feed would write otherwise (not in URL normal form)', articleJson({ id: 'https://example.com' }), 422, 'id'),
  post('an id with upper-case scheme', articleJson({ id: 'URN:uuid:11111111-2222-5333-8444-555555555555' }), 422, 'id'),
  post('a date in words', articleJson({ published: 'yesterday' }), 422, 'published'),
  post('a date before the web', articleJson({ published: '1970-01-01T00:00:00Z' }), 422, 'published'),
  post('updated before published', articleJson({ published: '2025-05-02', updated: '2025-05-01' }), 422, 'updated'),
  post('a relative image URL', articleJson({ image: '/images/cover.jpg' }), 422, 'image'),
  post('a relative URL in an image object', articleJson({ image: { url: 'cover.jpg', alt: 'Cover' } }), 422, 'image.url'),
  post('a javascript: canonical URL', articleJson({ canonicalUrl: 'javascript:alert(1)' }), 422, 'canonicalUrl'),
  post('an author without a name', articleJson({ authors: [{ name: '' }] }), 422, 'authors.0.name'),
  post('an author email that is not one', articleJson({ authors: [{ name: 'Ada', email: 'not-an-email' }] }), 422, 'authors.0.email'),
  post('a slug with spaces and capitals', articleJson({ slug: 'Not A Slug' }), 422, 'slug'),
  post('both body and html', articleJson({ html: '<p>x</p>' }), 422, 'html'),
  post('html with nothing safe in it', articleJson({ body: undefined, html: '<script>alert(1)</script>' }), 422, 'html'),
  {
    name: 'a __proto__ field',
    method: 'POST',
    path: '/api/articles',
    headers: jsonHeaders,
    body: '{"title":"Hi","body":"x","__proto__":{"draft":"yes"}}',
    status: 422,
    field: '__proto__',
  },
  post('a slug that is taken', articleJson({ slug: EXISTING }), 409, 'slug'),
  // Markdown that cannot be read
  markdown('front matter that is not YAML', '---\ntitle: [unclosed\n---\nText.\n', 400, 'front-matter'),
  markdown('front matter with no closing line', '---\ntitle: Open\nText.\n', 400, 'front-matter'),
  markdown(
    'front matter with an alias of an anchor never set (was a 500)',
    '---\ntitle: Hi\nsummary: *s\n---\nText.\n',
    400,
    'front-matter',
  ),
  markdown(
    'front matter with an alias inside what its anchor names (was a 500)',
    '---\ntitle: Hi\ntags: &t [a, *t]\n---\nText.\n',
    400,
    'front-matter',
  ),
  markdown('an unknown front matter field', '---\ntitle: Hi\nflavour: mint\n---\nText.\n', 422, 'flavour'),
  markdown('the body in front matter', '---\ntitle: Hi\nbody: In the wrong place\n---\nText.\n', 422, 'body'),
  // "Café" in Latin-1: the lone byte 0xE9 is not UTF-8 (read as UTF-8, it became "Caf\ufffd").
  markdown('Markdown in Latin-1, not UTF-8', Buffer.from('---\ntitle: Caf\xe9\n---\nText.\n', 'latin1'), 400, 'body'),
  { ...post('JSON in Latin-1, not UTF-8', {}, 400, 'body'), body: Buffer.from('{"title":"Caf\xe9","body":"Text."}', 'latin1') },
  // Size
  {
    name: 'a body of 1 MB + 1 byte with Content-Length',
    method: 'POST',
    path: '/api/articles',
    headers: { ...jsonHeaders, 'Content-Length': String(MAX_BODY_BYTES + 1) },
    body: oneByteTooMany(),
    status: 413,
    field: 'body',
  },
  {
    name: 'valid JSON over 1 MB',
    method: 'POST',
    path: '/api/articles',
    headers: jsonHeaders,
    body: json(articleJson({ body: 'y'.repeat(MAX_BODY_BYTES) })),
    status: 413,
    field: 'body',
  },
  post('article text longer than 256,000 characters', articleJson({ body: incompressibleText(256_001) }), 422, 'body'),
  post('HTML longer than 256,000 characters', articleJson({ body: undefined, html: `<p>${'a'.repeat(256_000)}</p>` }), 422, 'html'),
  {
    name: 'a streamed body over 1 MB with no Content-Length',
    method: 'POST',
    path: '/api/articles',
    headers: jsonHeaders,
    body: streamOverLimit,
    status: 413,
    field: 'body',
  },
  {
    name: 'a streamed body over 1 MB to PUT',
    method: 'PUT',
    path: `/api/articles/${EXISTING}`,
    headers: { ...jsonHeaders, 'If-Match': '"1"' },
    body: streamOverLimit,
    status: 413,
    field: 'body',
  },
  {
    name: 'a body over 1 MB to publish',
    method: 'POST',
    path: '/api/publish',
    headers: auth,
    body: oneByteTooMany(),
    status: 413,
    field: 'body',
  },
  // Content types
  {
    name: 'text/plain',
    method: 'POST',
    path: '/api/articles',
    headers: { ...auth, 'Content-Type': 'text/plain' },
    body: json(articleJson()),
    status: 415,
    field: 'content-type',
  },
  {
    name: 'form data',
    method: 'POST',
    path: '/api/articles',
    headers: { ...auth, 'Content-Type': 'multipart/form-data; boundary=x' },
    body: '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nHi\r\n--x--\r\n',
    status: 415,
    field: 'content-type',
  },
  {
    name: 'a URL-encoded form',
    method: 'POST',
    path: '/api/articles',
    headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'title=Hi&body=Text',
    status: 415,
    field: 'content-type',
  },
  {
    name: 'no Content-Type',
    method: 'POST',
    path: '/api/articles',
    headers: auth,
    body: new TextEncoder().encode(json(articleJson())),
    status: 415,
    field: 'content-type',
  },
  {
    name: 'JSON in Latin-1',
    method: 'POST',
    path: '/api/articles',
    headers: { ...auth, 'Content-Type': 'application/json; charset=iso-8859-1' },
    body: json(articleJson()),
    status: 415,
    field: 'content-type',
  },
  {
    name: 'an edit as text/plain',
    method: 'PUT',
    path: `/api/articles/${EXISTING}`,
    headers: { ...auth, 'Content-Type': 'text/plain', 'If-Match': '"1"' },
    body: 'Hi',
    status: 415,
    field: 'content-type',
  },
  // The bearer token
  {
    name: 'no Authorization header',
    method: 'POST',
    path: '/api/articles',
    headers: { 'Content-Type': 'application/json' },
    body: json(articleJson()),
    status: 401,
    field: 'authorization',
  },
  {
    name: 'Basic instead of Bearer',
    method: 'POST',
    path: '/api/articles',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${btoa(`user:${API_TOKEN}`)}` },
    body: json(articleJson()),
    status: 401,
    field: 'authorization',
  },
  {
    name: 'the scheme without a token',
    method: 'POST',
    path: '/api/articles',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer' },
    body: json(articleJson()),
    status: 401,
    field: 'authorization',
  },
  {
    name: 'a wrong token of the same length',
    method: 'POST',
    path: '/api/articles',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${wrongTokenSameLength}` },
    body: json(articleJson()),
    status: 401,
    field: 'authorization',
  },
  {
    name: 'a prefix of the token',
    method: 'POST',
    path: '/api/articles',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_TOKEN.slice(0, 5)}` },
    body: json(articleJson()),
    status: 401,
    field: 'authorization',
  },
  {
    name: 'the token with more after it',
    method: 'POST',
    path: '/api/articles',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_TOKEN} extra` },
    body: json(articleJson()),
    status: 401,
    field: 'authorization',
  },
  {
    name: 'an edit without a token',
    method: 'PUT',
    path: `/api/articles/${EXISTING}`,
    headers: { 'Content-Type': 'application/json', 'If-Match': '"1"' },
    body: json(articleJson()),
    status: 401,
    field: 'authorization',
  },
  {
    name: 'a delete with a wrong token',
    method: 'DELETE',
    path: `/api/articles/${EXISTING}`,
    headers: { Authorization: `Bearer ${wrongTokenSameLength}` },
    status: 401,
    field: 'authorization',
  },
  { name: 'a publish without a token', method: 'POST', path: '/api/publish', status: 401, field: 'authorization' },
  {
    name: 'a publish with a wrong token',
    method: 'POST',
    path: '/api/publish',
    headers: { Authorization: 'Bearer nope' },
    status: 401,
    field: 'authorization',
  },
  // Path parameters
  { name: 'a list of articles without a token', method: 'GET', path: '/api/articles', status: 401, field: 'authorization' },
  { name: 'a read of an article without a token', method: 'GET', path: `/api/articles/${EXISTING}`, status: 401, field: 'authorization' },
  { name: 'an unknown slug', method: 'GET', headers: auth, path: '/api/articles/no-such-article', status: 404, detail: /no-such-article/ },
  {
    name: 'a slug with capitals and an underscore',
    method: 'GET',
    headers: auth,
    path: '/api/articles/Bad_Slug',
    status: 400,
    field: 'slug',
  },
  { name: 'a slug with a double hyphen', method: 'GET', headers: auth, path: '/api/articles/double--hyphen', status: 400, field: 'slug' },
  { name: 'a slug with a leading hyphen', method: 'GET', headers: auth, path: '/api/articles/-leading', status: 400, field: 'slug' },
  { name: 'a slug with markup in it', method: 'GET', headers: auth, path: '/api/articles/%3Cscript%3E', status: 400, field: 'slug' },
  { name: 'a slug with broken percent-encoding', method: 'GET', headers: auth, path: '/api/articles/%E0%A4%A', status: 400, field: 'slug' },
  { name: 'a slug with an encoded slash', method: 'GET', headers: auth, path: '/api/articles/a%2Fb', status: 400, field: 'slug' },
  { name: 'a slug of 101 characters', method: 'GET', headers: auth, path: `/api/articles/${'a'.repeat(101)}`, status: 400, field: 'slug' },
  {
    name: 'an edit of a malformed slug',
    method: 'PUT',
    path: '/api/articles/Bad_Slug',
    headers: { ...jsonHeaders, 'If-Match': '"1"' },
    body: json(articleJson()),
    status: 400,
    field: 'slug',
  },
  {
    name: 'a delete of an unknown slug',
    method: 'DELETE',
    path: '/api/articles/no-such-article',
    headers: auth,
    status: 404,
    detail: /no-such-article/,
  },
  { name: 'an unknown publish run', method: 'GET', path: '/api/publish-runs/no-such-run', status: 404, detail: /no-such-run/ },
  { name: 'a publish run id with a space', method: 'GET', path: '/api/publish-runs/bad%20id', status: 400, field: 'id' },
  // Query parameters
  { name: 'limit 0', method: 'GET', headers: auth, path: '/api/articles?limit=0', status: 422, field: 'limit' },
  { name: 'limit 101', method: 'GET', headers: auth, path: '/api/articles?limit=101', status: 422, field: 'limit' },
  { name: 'limit abc', method: 'GET', headers: auth, path: '/api/articles?limit=abc', status: 422, field: 'limit' },
  { name: 'a fractional limit', method: 'GET', headers: auth, path: '/api/articles?limit=1.5', status: 422, field: 'limit' },
  { name: 'a negative limit', method: 'GET', headers: auth, path: '/api/articles?limit=-1', status: 422, field: 'limit' },
  { name: 'limit given twice', method: 'GET', headers: auth, path: '/api/articles?limit=1&limit=2', status: 422, field: 'limit' },
  {
    name: 'a cursor with characters no cursor has',
    method: 'GET',
    headers: auth,
    path: '/api/articles?cursor=!!!',
    status: 422,
    field: 'cursor',
  },
  {
    name: 'a well-formed cursor this API never issued',
    method: 'GET',
    headers: auth,
    path: '/api/articles?cursor=abc',
    status: 422,
    field: 'cursor',
  },
  { name: 'an empty cursor', method: 'GET', headers: auth, path: '/api/articles?cursor=', status: 422, field: 'cursor' },
  {
    name: 'a digest preview format that does not exist',
    method: 'GET',
    headers: auth,
    path: '/api/digest/preview?format=pdf',
    status: 422,
    field: 'format',
  },
  // Preconditions and the slug of an edit
  put('an edit without If-Match', {}, articleJson({ slug: EXISTING }), 428, 'if-match'),
  put('an edit of an old version', { 'If-Match': '"999"' }, articleJson({ slug: EXISTING }), 409, 'if-match'),
  put('an edit naming a weak ETag', { 'If-Match': 'W/"1"' }, articleJson({ slug: EXISTING }), 409, 'if-match'),
  put('an unquoted If-Match', { 'If-Match': '1' }, articleJson({ slug: EXISTING }), 400, 'if-match'),
  put('an edit whose body names another slug', { 'If-Match': '"1"' }, articleJson({ slug: 'another-slug' }), 422, 'slug'),
  {
    ...put('an edit of an unknown slug', { 'If-Match': '"1"' }, articleJson(), 404, '', 'no-such-article'),
    field: undefined,
    detail: /no-such-article/,
  },
  put(
    'a Markdown edit whose front matter names another slug',
    { 'Content-Type': 'text/markdown', 'If-Match': '"1"' },
    '---\ntitle: Hi\nslug: another-slug\n---\nText.\n',
    422,
    'slug',
  ),
  put('an edit with a numeric title', { 'If-Match': '"1"' }, articleJson({ slug: EXISTING, title: 5 }), 422, 'title'),
  put('an edit with truncated JSON', { 'If-Match': '"1"' }, '{"title": "Hi", "bo', 400, 'body'),
  {
    name: 'a delete of an old version',
    method: 'DELETE',
    path: `/api/articles/${EXISTING}`,
    headers: { ...auth, 'If-Match': '"999"' },
    status: 409,
    field: 'if-match',
  },
  {
    name: 'a delete with an unreadable If-Match',
    method: 'DELETE',
    path: `/api/articles/${EXISTING}`,
    headers: { ...auth, 'If-Match': 'version one' },
    status: 400,
    field: 'if-match',
  },
  // Routes and methods
  { name: 'an unknown API route', method: 'GET', path: '/api/no-such-route', status: 404, detail: /No route for GET \/api\/no-such-route/ },
  { name: 'a route outside the API', method: 'GET', path: '/wp-admin', status: 404, detail: /No route/ },
  {
    name: 'PATCH on an article',
    method: 'PATCH',
    path: `/api/articles/${EXISTING}`,
    headers: jsonHeaders,
    body: json({ title: 'x' }),
    status: 405,
    field: 'method',
  },
  { name: 'DELETE on health', method: 'DELETE', path: '/api/health', status: 405, field: 'method' },
  { name: 'GET on publish', method: 'GET', path: '/api/publish', status: 405, field: 'method' },
  {
    name: 'PUT on the article list',
    method: 'PUT',
    path: '/api/articles',
    headers: jsonHeaders,
    body: json(articleJson()),
    status: 405,
    field: 'method',
  },
  { name: 'POST on the OpenAPI document', method: 'POST', path: '/api/openapi.json', status: 405, field: 'method' },
];

function send(row: BadRequest): Promise<Response> {
  const body = typeof row.body === 'function' ? row.body() : row.body;
  const init: RequestInit & { duplex?: 'half' } = {
    method: row.method,
    headers: row.headers ?? {},
    ...(body === undefined ? {} : { body, duplex: 'half' }),
  };
  return Promise.resolve(api.app.request(new Request(`http://localhost${row.path}`, init)));
}

describe('a bad request', () => {
  it('is tested in at least 40 ways', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows)('answers $status for $name, naming what to fix', async (row) => {
    const response = await send(row);
    const problem = await readJson<ProblemJson>(response);

    expect({ status: response.status, problem }).toMatchObject({ status: row.status, problem: { status: row.status } });
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(problem).toEqual({
      type: 'about:blank',
      title: expect.any(String),
      status: row.status,
      detail: expect.any(String),
      errors: expect.any(Array),
    });
    if (row.field) expect(problem.errors.map((e) => e.field)).toContain(row.field);
    if (row.detail) expect(problem.detail).toMatch(row.detail);
    if (row.status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    if (row.status === 405) expect(response.headers.get('allow')).toEqual(expect.stringMatching(/^[A-Z, ]+$/));
  });

  it('never gets a 5xx, whichever row it is', async () => {
    const statuses = await Promise.all(rows.map(async (row) => ({ name: row.name, status: (await send(row)).status })));
    expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
  });

  it('leaves the article it aimed at unchanged', async () => {
    const article = await api.deps.articles.get(EXISTING);
    expect(article?.version).toBe(1);
  });
});

describe('hostile values in any article field', () => {
  const fields = [
    'title',
    'slug',
    'id',
    'summary',
    'body',
    'html',
    'published',
    'updated',
    'authors',
    'author',
    'tags',
    'image',
    'canonicalUrl',
    'draft',
  ];
  const values: unknown[] = [
    null,
    0,
    -1,
    1e308,
    true,
    '',
    ' ',
    '\u0000\u0008\uFFFE',
    '\uD800',
    '<script>alert(1)</script>',
    'x'.repeat(5000),
    [],
    [[]],
    [{}],
    {},
    { url: 'https://example.com/a.png', alt: 5 },
    ['a', 'a', 'A'],
    '2025-04-22T09:30:00',
    'https://example.com/ok',
  ];

  it('never gets a 5xx, and gets 201 or a 4xx problem naming a field', async () => {
    const outcomes: string[] = [];
    let n = 0;
    for (const field of fields) {
      for (const value of values) {
        const body = { ...articleJson({ slug: `hostile-${++n}` }), [field]: value };
        const response = await api.app.request('/api/articles', { method: 'POST', headers: jsonHeaders, body: JSON.stringify(body) });
        if (response.status === 201) continue;
        const problem = await readJson<ProblemJson>(response);
        const namesAField = problem.errors.length > 0 && problem.errors.every((e) => e.field !== '');
        if (response.status >= 500 || response.status < 400 || !namesAField)
          outcomes.push(`${field}=${JSON.stringify(value)?.slice(0, 40)} → ${response.status} ${problem.detail}`);
      }
    }
    expect(outcomes).toEqual([]);
  });
});
