/**
 * A value built on first use and kept for the life of the execution environment; a build
 * that failed is tried again on the next call instead of failing every later invocation.
 */
export function onceAtATime<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (!value) {
      value = build();
      value.catch(() => {
        value = undefined;
      });
    }
    return value;
  };
}
