/** Small helpers for asserting on promises and async iterables. */
import { PressrunError } from '../../functions/core/errors.js';

/** The PressrunError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<PressrunError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PressrunError)) throw new Error(`expected a PressrunError, got ${String(error)}`);
  return error;
}

/** Every item of an async iterable, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
