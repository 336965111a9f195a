/**
 * The one place an error becomes a response: every failure of the API, whether thrown by
 * the core, a store, a hono middleware or a zod validator, leaves as an RFC 9457
 * `application/problem+json` document naming the offending fields.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { $ZodError } from 'zod/v4/core';
import { PressrunError, type ErrorKind, type FieldProblem } from '../core/errors.js';
import { RateLimitedError } from '../core/rate-limit.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldProblem[];
}

const statusOfKind: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 422,
  malformed: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'precondition-required': 428,
  'rate-limited': 429,
  unavailable: 503,
};

const titles: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface Mapped {
  status: ContentfulStatusCode;
  detail: string;
  problems: FieldProblem[];
  headers: Record<string, string>;
}

/** Field paths as FieldProblem names them: "authors.0.url"; an unknown key is named itself. */
export function problemsFromZod(error: $ZodError, root?: string): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'is not a known field' }));
    }
    return [{ field: path.length > 0 ? path.join('.') : (root ?? 'body'), message: issue.message }];
  });
}

/** Which field an HTTPException of a hono middleware (the body limit, say) is about, judged by its status. */
const fieldOfHttpStatus: Partial<Record<number, string>> = {
  400: 'body',
  401: 'authorization',
  413: 'body',
  415: 'content-type',
};

function mapError(error: unknown): Mapped | undefined {
  if (error instanceof PressrunError) {
    // The core names its whole input ''; over HTTP that input is the request body.
    const problems = error.problems.map((p) => (p.field === '' ? { ...p, field: 'body' } : p));
    const headers: Record<string, string> = error instanceof RateLimitedError ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    return { status: statusOfKind[error.kind], detail: error.message, problems, headers };
  }
  if (error instanceof $ZodError) {
    return { status: 422, detail: 'The request breaks the schema', problems: problemsFromZod(error), headers: {} };
  }
  if (error instanceof HTTPException && error.status >= 400 && error.status < 500) {
    const status = error.status as ContentfulStatusCode;
    const field = fieldOfHttpStatus[status];
    const detail = error.message || titles[status] || 'The request was refused';
    return { status, detail, problems: field ? [{ field, message: detail }] : [], headers: {} };
  }
  return undefined;
}

function problemResponse(c: Context, mapped: Mapped): Response {
  const body: ProblemDocument = {
    type: 'about:blank',
    title: titles[mapped.status] ?? 'Error',
    status: mapped.status,
    detail: mapped.detail,
    errors: mapped.problems,
  };
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE, ...mapped.headers };
  if (mapped.status === 401) {
    // RFC 6750: a request that carried credentials learns they were refused, one that did not learns how to send them.
    headers['WWW-Authenticate'] = c.req.header('authorization')
      ? 'Bearer realm="pressrun", error="invalid_token"'
      : 'Bearer realm="pressrun"';
  }
  return c.body(JSON.stringify(body), mapped.status, headers);
}

/** The status and headers an error answers with, for routes that answer it as a page rather than a problem document. */
export function statusOfError(error: unknown): { status: ContentfulStatusCode; headers: Record<string, string> } {
  const mapped = mapError(error);
  return mapped ? { status: mapped.status, headers: mapped.headers } : { status: 500, headers: {} };
}

export const onError: ErrorHandler = (error, c) => {
  const mapped = mapError(error);
  if (mapped) return problemResponse(c, mapped);
  // Never bad input (that is mapped above): a bug or a failed dependency. The details go to the log, not the client.
  console.error(`${c.req.method} ${c.req.path} failed`, error);
  return problemResponse(c, { status: 500, detail: 'The server failed to answer this request', problems: [], headers: {} });
};

/** A known path asked with a method it does not serve: a 405 naming the allowed ones, in the problem and in Allow. */
export function methodNotAllowed(c: Context, allow: string): Response {
  const problems = [{ field: 'method', message: `must be one of ${allow}` }];
  return problemResponse(c, {
    status: 405,
    detail: `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`,
    problems,
    headers: { Allow: allow },
  });
}

export const onNotFound: NotFoundHandler = (c) =>
  problemResponse(c, { status: 404, detail: `No route for ${c.req.method} ${c.req.path}`, problems: [], headers: {} });
