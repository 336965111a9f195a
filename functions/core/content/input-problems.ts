import type * as z from 'zod/mini';
import type { FieldProblem } from '../errors.js';

type Issue = z.core.$ZodIssue;
type Path = ReadonlyArray<PropertyKey>;

/**
 * Zod issues as field problems a writer can act on: one problem per unknown field (named by its
 * own path), and for a union (a URL string or an object) the problems of the branch whose shape
 * the input has rather than of every branch.
 */
export function inputProblems(issues: readonly Issue[], prefix: Path = []): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: fieldName([...path, key]), message: 'is not a known field' }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const sameShape = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (sameShape.length === 1) return inputProblems(sameShape[0]!, path);
      return [{ field: fieldName(path), message: 'has the wrong type' }];
    }
    return [{ field: fieldName(path), message: issue.message }];
  });
}

function fieldName(path: Path): string {
  return path.map(String).join('.');
}
