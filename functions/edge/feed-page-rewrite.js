// CloudFront Function (cloudfront-js-2.0), viewer request, on the site's default behaviour.
//
// 1. A browser opening a feed URL (its Accept header puts text/html first) gets the feed's HTML
//    page (what a feed is, the addresses to copy, the latest articles); feed readers get the
//    feed itself, unchanged. The rewritten URI is what CloudFront caches under, so the two never
//    mix. Same rule as functions/core/feeds/feed-page-route.ts; tests/edge/feed-page-rewrite.test.ts
//    keeps them in step.
// 2. Directory URLs read their index.html (the bucket is a private REST origin without index
//    documents); a URL without a trailing slash or extension redirects to the one with the slash,
//    as the local server does (functions/local/static-site.ts). The redirect only ever names a
//    path of this site: `//evil.example/x` (or `/\evil.example/x`, which browsers read the same)
//    would be another host's address, so leading slashes and backslashes collapse into one.
// 3. A URI no object can have is refused with a 400 before it reaches the bucket: a control
//    character (raw or percent-encoded, NUL included), or a key longer than S3's 1,024 bytes.
// CloudFront runs one function per event, so this file carries every rule (deployed by
// cdk/constructs/edge-functions.ts).
var SUBSCRIPTION_FEED = /^\/(?:tags\/([^/]+)\/)?(?:feed\.xml|atom\.xml|feed\.json)$/;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
var CONTROL_CHARACTER = /[\u0000-\u001f\u007f]|%[01][0-9a-f]|%7f/i;
var LEADING_SEPARATORS = /^[/\\]+/;
var S3_KEY_BYTES = 1024;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls handler(); nothing here does
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (CONTROL_CHARACTER.test(uri) || keyBytes(uri) > S3_KEY_BYTES) {
    return { statusCode: 400, statusDescription: 'Bad Request' };
  }
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
    var location = '/' + uri.replace(LEADING_SEPARATORS, '') + '/';
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: location } } };
  }
  return request;
}

function prefersHtml(accept) {
  return accept.split(',')[0].trim().toLowerCase().indexOf('text/html') === 0;
}

// The bytes of the object key the URI names (without its leading slash), whether CloudFront hands
// it over percent-encoded or not: an escape is one byte, any other character its UTF-8 length
// (each half of a surrogate pair two).
function keyBytes(uri) {
  var plain = uri.substring(1).replace(/%[0-9a-f]{2}/gi, '.');
  if (plain.length > S3_KEY_BYTES) return plain.length;
  var bytes = 0;
  for (var i = 0; i < plain.length; i++) {
    var code = plain.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code < 0xe000) ? 2 : 3;
  }
  return bytes;
}
