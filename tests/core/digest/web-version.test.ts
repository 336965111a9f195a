import { describe, expect, it } from 'vitest';
import { renderDigest, renderDigestWebVersion } from '../../../functions/core/digest/render-digest.js';
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
    expect(hrefOf('View in browser')).toEqual(['https://news.example.com/digests/2025-04-22/']);
    expect(hrefOf('Unsubscribe')).toEqual(['https://news.example.com/#subscribe']);
  });
});
