/**
 * The Content-Security-Policy the site's objects are served with: what its pages need, and
 * nothing more. The pages (and the digests' web versions) style themselves with inline
 * `<style>` and `style` attributes and run no script; their images are the site's own (the
 * icon) and article images, which may come from anywhere, as the sanitizer lets them through:
 * https, http (a browser on the https site upgrades those to https before the policy applies;
 * on the local http site they load as they are) and inline data: images. The one form posts to
 * the site's own /api/subscribe. Nothing else loads: no scripts, fonts, frames, plugins or
 * connections.
 *
 * CloudFront sends it from the site behavior's response headers policy
 * (cdk/constructs/site-distribution.ts, which cannot import this file and spells the same
 * policy out; tests/cdk keeps them equal), and the local server from its static site.
 */
export interface SitePolicyOptions {
  /**
   * Origins the site's form posts to besides the one the page was opened at: the
   * origin of the site's base URL, when a reader may reach the site under another name
   * (127.0.0.1 for localhost, the *.cloudfront.net name for a custom domain).
   */
  siteOrigins?: readonly string[];
  /** Origins that may show the pages in a frame besides the site itself (the local inbox opens mail links in one). */
  framedBy?: readonly string[];
}

export function siteContentSecurityPolicy(options: SitePolicyOptions = {}): string {
  const sources = (...list: readonly string[]) => list.join(' ');
  const origins = options.siteOrigins ?? [];
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src ${sources("'self'", 'https:', 'http:', 'data:')}`,
    `form-action ${sources("'self'", ...origins)}`,
    `frame-ancestors ${sources("'self'", ...(options.framedBy ?? []))}`,
    "base-uri 'none'",
  ].join('; ');
}
