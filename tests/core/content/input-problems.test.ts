import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputProblems } from '../../../functions/core/content/input-problems.js';

const Schema = z.strictObject({
  name: z.string('must be a string'),
  items: z.array(z.strictObject({ id: z.number('must be a number') })).optional(),
  image: z.union([z.string().startsWith('https://', 'must be https'), z.strictObject({ url: z.string('must be a string') })]).optional(),
});

const problemsFor = (input: unknown) => {
  const result = Schema.safeParse(input);
  return result.success ? [] : inputProblems(result.error.issues);
};

describe('inputProblems', () => {
  it.each([
    ['a wrong type, by path', { name: 1 }, [{ field: 'name', message: 'must be a string' }]],
    ['a nested field, with a dotted path', { name: 'a', items: [{ id: 1 }, { id: 'x' }] }, [{ field: 'items.1.id', message: 'must be a number' }]],
    ['each unknown key as its own field', { name: 'a', x: 1, y: 2 }, [{ field: 'x', message: 'is not a known field' }, { field: 'y', message: 'is not a known field' }]],
    ['an unknown nested key', { name: 'a', items: [{ id: 1, extra: true }] }, [{ field: 'items.0.extra', message: 'is not a known field' }]],
    ['the string branch of a union for a string', { name: 'a', image: 'http://x' }, [{ field: 'image', message: 'must be https' }]],
    ['the object branch of a union for an object', { name: 'a', image: { url: 3 } }, [{ field: 'image.url', message: 'must be a string' }]],
    ['a union matching no branch shape', { name: 'a', image: 3 }, [{ field: 'image', message: 'has the wrong type' }]],
  ])('reports %s', (_case, input, problems) => {
    expect(problemsFor(input)).toEqual(problems);
  });
});
