import { describe, expect, it } from 'vitest';
import { renderDigest, renderDigestWebVersion } from '../../../functions/core/digest/render-digest.js';
import { renderDigestPreview } from '../../../functions/core/digest/web-version.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { attr, elements, parseHtml, text } from '../pages/html.js';
import { digestTemplate } from '../../support/templates.js';

describe('renderDigestWebVersion', () => {
  it('is the digest with its links filled for the web', async () => {
    const site = makeSite();
    const digest = await renderDigest({
      site,
      id: '2025-04-22',
      createdAt: '2025-04-22T08:00:00.000Z',
      articles: [makeArticle()],
      template: digestTemplate(),
    });
    const page = renderDigestWebVersion(site, digest);
    expect(page).not.toContain('{{{pressrun:');
    const anchors = elements(parseHtml(page), 'a');
    const hrefOf = (label: string) => anchors.filter((a) => text(a) === label).map((a) => attr(a, 'href'));
    expect(hrefOf('Get the digest by email')).toEqual(['https://news.example.com/#subscribe']);
    expect(hrefOf('Past digests')).toEqual(['https://news.example.com/digests/']);
  });

  it('leaves out what only makes sense in a mailbox: why you receive it, view in browser, unsubscribe', async () => {
    const site = makeSite();
    const digest = await renderDigest({
      site,
      id: 'd',
      createdAt: '2025-04-22T08:00:00.000Z',
      articles: [makeArticle()],
      template: digestTemplate(),
    });
    const page = renderDigestWebVersion(site, digest);
    expect(page).not.toMatch(/You receive this|View in browser|Unsubscribe/);
    expect(page).not.toContain('pressrun:mail-only');
    expect(digest.html).toMatch(/You receive this[\s\S]*View in browser[\s\S]*Unsubscribe/);
  });

  it('keeps the footer of a template without the mail-only markers, its links filled for the web', async () => {
    const site = makeSite();
    const template = digestTemplate()
      .replace('<mj-raw><!-- pressrun:mail-only --></mj-raw>', '')
      .replace('<mj-raw><!-- /pressrun:mail-only --></mj-raw>', '');
    const digest = await renderDigest({
      site,
      id: '2025-04-22',
      createdAt: '2025-04-22T08:00:00.000Z',
      articles: [makeArticle()],
      template,
    });
    const anchors = elements(parseHtml(renderDigestWebVersion(site, digest)), 'a');
    const hrefOf = (label: string) => anchors.filter((a) => text(a) === label).map((a) => attr(a, 'href'));
    expect(hrefOf('View in browser')).toEqual(['https://news.example.com/digests/2025-04-22/']);
    expect(hrefOf('Unsubscribe')).toEqual(['https://news.example.com/#subscribe']);
  });
});

describe('renderDigestPreview', () => {
  it('shows the mail as a reader gets it, with links that work instead of placeholders', async () => {
    const site = makeSite();
    const digest = await renderDigest({
      site,
      id: 'preview',
      createdAt: '2025-04-22T08:00:00.000Z',
      articles: [makeArticle()],
      template: digestTemplate(),
    });
    const preview = renderDigestPreview(site, digest);
    for (const part of [preview.html, preview.text]) expect(part).not.toContain('{{{pressrun:');
    const anchors = elements(parseHtml(preview.html), 'a');
    const hrefOf = (label: string) => anchors.filter((a) => text(a) === label).map((a) => attr(a, 'href'));
    expect(hrefOf('View in browser')).toEqual(['https://news.example.com/digests/']);
    expect(hrefOf('Unsubscribe')).toEqual(['https://news.example.com/#subscribe']);
    expect(preview.text).toContain('Unsubscribe: https://news.example.com/#subscribe');
  });
});
