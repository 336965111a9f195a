import { describe, expect, it } from 'vitest';
import { choicesFromForm } from '../../functions/http/choice-fields.js';

describe('the choices a form sent', () => {
  it.each([
    ['nothing but the address: no choices at all', { email: 'a@example.com' }, undefined],
    ['hour and weekday as numbers', { hour: '07', weekday: '0' }, { hour: 7, weekday: 0 }],
    ['a number it cannot read, left for the check to name', { hour: 'noon' }, { hour: 'noon' }],
    ['empty fields as not sent', { cadence: '', format: '', hour: '' }, undefined],
    ['each checked tag', { topics: ['science', 'travel'] }, { topics: ['science', 'travel'] }],
    ['tags typed with commas, trimmed and in lower case', { topics: ['Science , travel,,'] }, { topics: ['science', 'travel'] }],
    ['"all" among the tags as every article', { topics: ['science', 'all'] }, { topics: 'all' }],
    ['the topics field sent empty as every article', { topics: [''] }, { topics: 'all' }],
    ['cadence and format as they are', { cadence: 'weekly', format: 'full' }, { cadence: 'weekly', format: 'full' }],
  ])('reads %s', (_what, fields, expected) => {
    expect(choicesFromForm(fields)).toEqual(expected);
  });
});
