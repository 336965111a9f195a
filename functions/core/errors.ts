/**
 * The error type of every request-facing failure, from the core and the HTTP layer alike
 * (its subclasses only add what one kind needs: a Retry-After, a mailer's verdict). Thrown
 * once where a problem is found, mapped to an HTTP status (and an RFC 9457 problem
 * document) in one place: functions/http/problem.ts.
 */

export type ErrorKind =
  | 'invalid' // 422: the input is understood but breaks a rule
  | 'malformed' // 400: the input cannot be read at all
  | 'unauthorized' // 401
  | 'forbidden' // 403: the request did not come the only way in (through CloudFront)
  | 'not-found' // 404
  | 'conflict' // 409: version conflict or already exists
  | 'too-large' // 413
  | 'unsupported-media-type' // 415
  | 'precondition-required' // 428: an edit must say which version it replaces
  | 'rate-limited' // 429
  | 'unavailable'; // 503: a dependency failed; never used for bad input

export interface FieldProblem {
  /** JSON-pointer-like path of the offending field, e.g. "title" or "authors.0.url". */
  field: string;
  message: string;
}

export class PressrunError extends Error {
  readonly kind: ErrorKind;
  readonly problems: FieldProblem[];

  constructor(kind: ErrorKind, message: string, problems: FieldProblem[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PressrunError';
    this.kind = kind;
    this.problems = problems;
  }
}

export const invalid = (message: string, problems: FieldProblem[] = []) => new PressrunError('invalid', message, problems);
export const notFound = (message: string) => new PressrunError('not-found', message);
export const conflict = (message: string, problems: FieldProblem[] = []) => new PressrunError('conflict', message, problems);
