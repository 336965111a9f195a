import { describe, expect, it } from 'vitest';
import { guardCdata, textAsHtml, xmlAttribute } from '../../../functions/core/feeds/xml-text.js';

describe('textAsHtml', () => {
  it.each([
    ['plain words', 'plain words'],
    ['Fish & chips', 'Fish &amp; chips'],
    ['<script>', '&lt;script&gt;'],
    ['already &amp; escaped', 'already &amp;amp; escaped'],
    ['"quotes" stay', '"quotes" stay'],
  ])('writes %j as %j', (text, html) => {
    expect(textAsHtml(text)).toBe(html);
  });
});

describe('guardCdata', () => {
  it.each([
    ['<p>no marker</p>', '<p>no marker</p>'],
    ['a ]]> b', 'a ]]&gt; b'],
    ['a ]]> b ]]> c', 'a ]]&gt; b ]]&gt; c'],
    [']]]>', ']]]&gt;'],
    ['] ]>', '] ]>'],
  ])('writes %j as %j', (html, guarded) => {
    expect(guardCdata(html)).toBe(guarded);
    expect(guardCdata(html)).not.toContain(']]>');
  });
});

describe('xmlAttribute', () => {
  it.each([
    ['image/jpeg', 'image/jpeg'],
    ['a "quoted" & <tagged> value', 'a &quot;quoted&quot; &amp; &lt;tagged&gt; value'],
  ])('writes %j as %j', (value, attribute) => {
    expect(xmlAttribute(value)).toBe(attribute);
  });
});
