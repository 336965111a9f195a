/**
 * Serializes a page to a complete HTML document. Every page component is
 * synchronous; a Promise here means someone added an async component, which
 * would make rendering slower and harder to test, so it fails loudly.
 */
export function renderDocument(page: { toString(): unknown }): string {
  const html: unknown = page.toString();
  if (typeof html !== 'string') throw new Error('Page components must be synchronous');
  return `<!doctype html>${html}`;
}
