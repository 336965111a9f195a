import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import {
  applyPreferences,
  DEFAULT_PREFERENCES,
  MAX_TOPICS,
  parsePreferences,
  preferencesOf,
  wantsArticle,
} from '../../../functions/core/subscribers/preferences.js';

/** The fields an 'invalid' error names, or what else was thrown. */
function refusedFields(input: unknown, field?: string): string[] {
  try {
    parsePreferences(input, field);
  } catch (error) {
    if (error instanceof PressrunError && error.kind === 'invalid') return error.problems.map((p) => p.field);
    throw error;
  }
  throw new Error('was accepted');
}

describe('a reader who never chose', () => {
  it('receives what every reader received before: all articles, with the digest, as summaries', () => {
    expect(preferencesOf({})).toEqual({ topics: 'all', cadence: 'digest', format: 'summary', hour: 7, weekday: 1 });
    expect(preferencesOf({ preferences: undefined })).toEqual(DEFAULT_PREFERENCES);
  });

  it('keeps the defaults for what they left out when they chose a part', () => {
    expect(preferencesOf({ preferences: { cadence: 'weekly' } })).toEqual({ ...DEFAULT_PREFERENCES, cadence: 'weekly' });
  });
});

describe('parsing what a client sent', () => {
  it('takes every field, each optional', () => {
    expect(parsePreferences({})).toEqual({});
    expect(parsePreferences({ topics: ['science'], cadence: 'weekly', format: 'full', hour: 0, weekday: 6 })).toEqual({
      topics: ['science'],
      cadence: 'weekly',
      format: 'full',
      hour: 0,
      weekday: 6,
    });
    expect(parsePreferences({ topics: 'all', cadence: 'each' })).toEqual({ topics: 'all', cadence: 'each' });
  });

  it('sorts the tags and keeps each once, so the same choice is written the same', () => {
    expect(parsePreferences({ topics: ['travel', 'science', 'travel'] })).toEqual({ topics: ['science', 'travel'] });
  });

  it.each([
    ['an unknown cadence', { cadence: 'hourly' }, ['preferences.cadence']],
    ['an unknown format', { format: 'pdf' }, ['preferences.format']],
    ['an hour past 23', { hour: 24 }, ['preferences.hour']],
    ['a fractional hour', { hour: 7.5 }, ['preferences.hour']],
    ['an hour as text', { hour: 'seven' }, ['preferences.hour']],
    ['a weekday past Saturday', { weekday: 7 }, ['preferences.weekday']],
    ['a negative weekday', { weekday: -1 }, ['preferences.weekday']],
    ['a tag the site could not have', { topics: ['Not A Slug'] }, ['preferences.topics.0']],
    ['no tag at all', { topics: [] }, ['preferences.topics']],
    ['topics that are neither "all" nor a list', { topics: 'science' }, ['preferences.topics']],
    ['a field it does not know', { colour: 'blue' }, ['preferences']],
    ['not an object', 'weekly', ['preferences']],
  ])('refuses %s, naming the field', (_what, input, fields) => {
    expect(refusedFields(input)).toEqual(fields);
  });

  it('names every bad field at once', () => {
    expect(refusedFields({ cadence: 'hourly', hour: 99 }).sort()).toEqual(['preferences.cadence', 'preferences.hour']);
  });

  it(`refuses more than ${MAX_TOPICS} tags`, () => {
    const topics = Array.from({ length: MAX_TOPICS + 1 }, (_, i) => `tag-${i}`);
    expect(refusedFields({ topics })).toEqual(['preferences.topics']);
    expect(parsePreferences({ topics: topics.slice(1) }).topics).toHaveLength(MAX_TOPICS);
  });

  it('names the fields under the name it is given', () => {
    expect(refusedFields({ cadence: 'x' }, 'choices')).toEqual(['choices.cadence']);
  });
});

describe('applying a change', () => {
  it('changes what the input names and keeps the rest', () => {
    const current = { ...DEFAULT_PREFERENCES, topics: ['science'], cadence: 'daily' as const, hour: 18 };
    expect(applyPreferences(current, { format: 'full' })).toEqual({ ...current, format: 'full' });
    expect(applyPreferences(current, { topics: 'all', hour: undefined })).toEqual({ ...current, topics: 'all' });
  });
});

describe('which articles a reader wants', () => {
  it.each([
    ['all', ['science'], true],
    ['all', [], true],
    [['science'], ['science', 'travel'], true],
    [['science', 'travel'], ['travel'], true],
    [['science'], ['travel'], false],
    [['science'], [], false],
  ] as const)('with topics %j, an article tagged %j: %s', (topics, tags, wanted) => {
    expect(wantsArticle({ topics: topics === 'all' ? 'all' : [...topics] }, tags)).toBe(wanted);
  });
});
