import type { SiteConfig } from '../site.js';

/** The site's icon: its initial on the link colour, as SVG (every browser that matters draws it). */
export function renderFavicon(site: SiteConfig): string {
  const initial = [...site.title.trim()][0]?.toUpperCase() ?? 'P';
  const text = initial.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b57d0"/><text x="16" y="23" font-family="system-ui,sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="#fff">${text}</text></svg>\n`;
}
