import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const site = inject('site');
const SCREENSHOTS = new URL('../../artifacts/screenshots/', import.meta.url).pathname;
/** A grey PNG for images on other hosts: this machine has no network, and the layout should still be real. */
const PLACEHOLDER = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAJCAIAAAC0SDtlAAAAFklEQVR42mN4/PgxSYhhVMOohuGrAQDcVIRz6UOcBAAAAABJRU5ErkJggg==',
  'base64',
);
/** The flags PITFALLS.md names for Chromium here. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const article =
  site.articles.find((a) => a.slug.startsWith('welcome-to-pressrun')) ?? site.articles.find((a) => !a.slug.startsWith('generated-'))!;
const PAGES = [
  { name: 'index', path: '', widths: [375, 1280] },
  { name: 'article', path: `articles/${article.slug}/`, widths: [375, 1280] },
  // A browser opening the feed URL: the edge (here, the local server) answers with the feed page.
  { name: 'feed', path: 'feed.xml', widths: [375, 1280] },
  { name: 'digest', path: `digests/${site.digestId}/`, widths: [375, 600, 1280] },
  // The page a reader's preference link opens: a form of radios, selects and boxes.
  { name: 'preferences', path: site.preferencesPath, widths: [375, 1280] },
];
const SCHEMES = ['light', 'dark'] as const;

interface PageReport {
  scrollWidth: number;
  clientWidth: number;
  brokenImages: string[];
  imagesWithoutAlt: number;
  links: string[];
  h1: string;
  background: string;
}

/** What the checks read from a rendered page. */
const MEASURE = `(() => ({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  brokenImages: [...document.images].filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src),
  imagesWithoutAlt: [...document.images].filter((img) => !img.hasAttribute('alt')).length,
  links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
  h1: document.querySelector('h1')?.textContent ?? '',
  background: getComputedStyle(document.body).backgroundColor,
}))()`;

let browser: Browser;
let context: BrowserContext;
const linkStatus = new Map<string, Promise<number>>();

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

async function open(path: string, width: number, colorScheme: 'light' | 'dark', screenshot: string): Promise<PageReport> {
  context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
  await context.route(
    (url) => !url.toString().startsWith(site.baseUrl),
    (route) =>
      route.request().resourceType() === 'image'
        ? route.fulfill({ status: 200, contentType: 'image/png', body: PLACEHOLDER })
        : route.abort(),
  );
  const page = await context.newPage();
  const response = await page.goto(new URL(path, site.baseUrl).toString(), { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  await page.screenshot({ path: join(SCREENSHOTS, screenshot), fullPage: true });
  // A string, run in the page: the test's own TypeScript has no DOM types.
  const report = (await page.evaluate(MEASURE)) as PageReport;
  await context.close();
  return report;
}

/** Whether a link on the site leads somewhere: followed over HTTP once per URL (redirects included). */
function status(url: string): Promise<number> {
  const known = linkStatus.get(url);
  if (known) return known;
  const fetched = fetch(url.split('#')[0]!, { headers: { accept: 'text/html' } }).then((r) => r.status);
  linkStatus.set(url, fetched);
  return fetched;
}

const luminance = (rgb: string) => {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
};

describe('headless Chromium', () => {
  describe.each(PAGES)('the $name page', ({ name, path, widths }) => {
    it.each(widths.flatMap((width) => SCHEMES.map((scheme) => [width, scheme] as const)))(
      'at %i px in %s mode: no horizontal scroll, no broken image or link',
      async (width, scheme) => {
        const report = await open(path, width, scheme, `${name}-${width}-${scheme}.png`);

        expect(report.scrollWidth, 'page wider than the viewport').toBeLessThanOrEqual(report.clientWidth);
        expect(report.brokenImages).toEqual([]);
        expect(report.imagesWithoutAlt).toBe(0);
        const internal = report.links.filter((href) => href.startsWith(site.baseUrl));
        const external = report.links.filter((href) => !href.startsWith(site.baseUrl));
        expect(external.filter((href) => !/^(?:https?:\/\/[^/]+|mailto:)/.test(href))).toEqual([]);
        const statuses = await Promise.all(internal.map(async (href) => [href, await status(href)] as const));
        expect(statuses.filter(([, code]) => code !== 200)).toEqual([]);
        expect(internal.length).toBeGreaterThan(0);
        if (name !== 'digest') expect(luminance(report.background) < 0.5).toBe(scheme === 'dark');
        if (name === 'feed') expect(report.h1).toMatch(/^Follow /);
      },
    );
  });

  it('lets a reader use the preference form with labels alone, and save it without script', async () => {
    context = await browser.newContext({ viewport: { width: 375, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(new URL(site.preferencesPath, site.baseUrl).toString(), { waitUntil: 'load' });
    // Every field a reader can reach is named by a label tied to it.
    const unlabelled = (await page.evaluate(
      `[...document.querySelectorAll('input:not([type=hidden]), select')].filter((el) => el.labels.length === 0).map((el) => el.outerHTML)`,
    )) as string[];
    expect(unlabelled).toEqual([]);
    expect(await page.getByLabel('Once a week').isChecked()).toBe(true);
    await page.getByLabel('Once a day').check();
    await page.getByLabel('Hour (UTC)', { exact: true }).selectOption('18');
    await page.getByLabel('Titles and summaries').check();
    await page.getByLabel('Tagged “weather”').uncheck();
    await page.getByLabel('Other tags, separated by commas').fill('harbour, parks');
    await page.getByRole('button', { name: 'Save choices' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe('Your choices are saved');
    expect(await page.locator('main').textContent()).toContain(
      'Saved: articles tagged bridges, city-council, harbour, parks, once a day at 18:00 (UTC), titles and summaries.',
    );
    await context.close();
  });

  it('saved a screenshot for every page, width and scheme', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = await readdir(SCREENSHOTS);
    const expected = PAGES.flatMap(({ name, widths }) => widths.flatMap((w) => SCHEMES.map((s) => `${name}-${w}-${s}.png`)));
    expect(files).toEqual(expect.arrayContaining(expected));
  });
});
