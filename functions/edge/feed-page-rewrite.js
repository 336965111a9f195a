// CloudFront Function (cloudfront-js-2.0), viewer request, on the site's default behaviour.
//
// 1. A browser opening a feed URL (its Accept header puts text/html first) gets the feed's HTML
//    page (what a feed is, the addresses to copy, the latest articles); feed readers get the
//    feed itself, unchanged. The rewritten URI is what CloudFront caches under, so the two never
//    mix. Same rule as functions/core/feeds/feed-page-route.ts; tests/edge/feed-page-rewrite.test.ts
//    keeps them in step.
// 2. Directory URLs read their index.html (the bucket is a private REST origin without index
//    documents); a URL without a trailing slash or extension redirects to the one with the slash,
//    as the local server does (functions/local/static-site.ts). CloudFront runs one function per
//    event, so this file carries both rules (deployed by cdk/constructs/edge-functions.ts).
var SUBSCRIPTION_FEED = /^\/(?:tags\/([^/]+)\/)?(?:feed\.xml|atom\.xml|feed\.json)$/;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls handler(); nothing here does
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var feed = SUBSCRIPTION_FEED.exec(uri);
  if (feed) {
    if (prefersHtml(request.headers.accept ? request.headers.accept.value : '')) {
      request.uri = feed[1] === undefined ? '/feeds/index.html' : '/tags/' + feed[1] + '/feeds/index.html';
    }
    return request;
  }
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: uri + '/' } } };
  }
  return request;
}

function prefersHtml(accept) {
  return accept.split(',')[0].trim().toLowerCase().indexOf('text/html') === 0;
}
