import { describe, expect, it } from 'vitest';
import { describeChoices } from '../../../functions/core/pages/choices.js';
import { subscriptionPages } from '../../../functions/core/pages/subscription-pages.js';
import { DEFAULT_PREFERENCES, type Preferences } from '../../../functions/core/subscribers/preferences.js';
import { makeSite } from '../../support/factories.js';
import { attr, elements, parseHtml, text } from './html.js';

const site = makeSite();
const TOKEN = 'cDpBYmNkOjE3ODMzMzkyMDA6MQ.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const chosen: Preferences = { topics: ['science'], cadence: 'weekly', format: 'full', hour: 8, weekday: 5 };

describe('the confirmed page', () => {
  it('leads to the preference page with the token it is given', () => {
    const doc = parseHtml(subscriptionPages.confirmed(site, false, TOKEN));
    const link = elements(doc, 'a').find((a) => text(a) === 'Choose topics and how often');
    expect(attr(link!, 'href')).toBe(`https://news.example.com/api/preferences?token=${TOKEN}`);
  });

  it('says nothing of choices without a token', () => {
    expect(subscriptionPages.confirmed(site, true)).not.toContain('Choose topics');
  });
});

describe('the preference page', () => {
  const render = (preferences: Preferences, problem?: string) =>
    parseHtml(subscriptionPages.preferences(site, TOKEN, { email: 'reader@example.com', status: 'confirmed', preferences }, problem));

  it('is one form, posting to the preference route with the token in the body, that runs no script', () => {
    const doc = render(chosen);
    const [form] = elements(doc, 'form');
    expect([attr(form!, 'method'), attr(form!, 'action')]).toEqual(['post', 'https://news.example.com/api/preferences']);
    expect(elements(form!, 'input').find((el) => attr(el, 'name') === 'token')).toMatchObject({
      attribs: { type: 'hidden', value: TOKEN },
    });
    expect(elements(doc, 'script')).toEqual([]);
    expect(elements(doc, 'meta').some((m) => attr(m, 'name') === 'robots' && attr(m, 'content') === 'noindex, nofollow')).toBe(true);
  });

  it('shows the reader’s choices checked, and their tags among the boxes, with a field for others', () => {
    const doc = render(chosen);
    const checked = elements(doc, 'input')
      .filter((el) => attr(el, 'checked') !== undefined)
      .map((el) => `${attr(el, 'name')}=${attr(el, 'value')}`);
    expect(checked).toEqual(['cadence=weekly', 'format=full', 'topics=science']);
    const selected = elements(doc, 'option').filter((el) => attr(el, 'selected') !== undefined);
    expect(selected.map((el) => text(el))).toEqual(['08:00', 'Friday']);
    const other = elements(doc, 'input').find((el) => attr(el, 'type') === 'text')!;
    expect(attr(other, 'name')).toBe('topics');
    expect(text(elements(doc, 'label').find((l) => attr(l, 'for') === attr(other, 'id'))!)).toBe('Other tags, separated by commas');
  });

  it('checks "All articles" for a reader who follows every article', () => {
    const all = elements(render(DEFAULT_PREFERENCES), 'input').find((el) => attr(el, 'value') === 'all')!;
    expect(attr(all, 'checked')).toBeDefined();
  });

  it('says why a change was refused', () => {
    expect(text(elements(render(chosen, 'the hour must be 0 to 23.'), 'main')[0]!)).toContain(
      'Nothing was saved: the hour must be 0 to 23.',
    );
  });
});

describe('the choices in words', () => {
  it.each([
    [DEFAULT_PREFERENCES, 'all articles, with the site’s digest, titles and summaries'],
    [chosen, 'articles tagged science, once a week on Friday at 08:00 (UTC), full articles'],
    [
      { ...chosen, topics: ['maps', 'travel'], cadence: 'daily', hour: 18 } as Preferences,
      'articles tagged maps, travel, once a day at 18:00 (UTC), full articles',
    ],
    [{ ...DEFAULT_PREFERENCES, cadence: 'each' } as Preferences, 'all articles, an email for each publish, titles and summaries'],
  ])('%j reads "%s"', (preferences, words) => {
    expect(describeChoices(preferences)).toBe(words);
  });

  it('names the site’s time zone with the hour, as the form names it beside the hour', () => {
    expect(describeChoices(chosen, 'Europe/Paris')).toBe(
      'articles tagged science, once a week on Friday at 08:00 (Europe/Paris), full articles',
    );
  });
});
