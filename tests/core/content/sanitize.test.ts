import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { sanitizeArticleHtml } from '../../../functions/core/content/sanitize.js';
import { hasXmlForbidden } from './content-factories.js';

const BASE = 'https://news.example.com/articles/harbour-reopens/';

function elementsOf(html: string) {
  return DomUtils.findAll(() => true, parseDocument(html).children);
}

const SAFE_ATTRIBUTES = new Set([
  'href', 'hreflang', 'src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'cite', 'datetime',
  'start', 'reversed', 'type', 'value', 'colspan', 'rowspan', 'scope', 'headers', 'align', 'span',
  'lang', 'dir', 'title', 'class',
]);
const DANGEROUS_TAGS = new Set([
  'script', 'iframe', 'object', 'embed', 'meta', 'style', 'form', 'input', 'button', 'base', 'link',
  'svg', 'math', 'body', 'html', 'head', 'frame', 'frameset', 'applet', 'template', 'textarea', 'xmp',
  'noscript', 'details', 'video', 'audio', 'source', 'isindex', 'select', 'option',
]);

/** Every URL a browser would load or follow from the output, with the attribute it came from. */
function urlsOf(html: string): Array<{ tag: string; attribute: string; url: string }> {
  return elementsOf(html).flatMap((el) =>
    Object.entries(el.attribs).flatMap(([attribute, value]) => {
      if (attribute === 'srcset') {
        return value.split(/,\s+/).map((candidate) => ({ tag: el.name, attribute, url: candidate.trim().split(/\s+/)[0]! }));
      }
      return ['href', 'src', 'cite'].includes(attribute) ? [{ tag: el.name, attribute, url: value }] : [];
    }),
  );
}

/** Asserts, on the parsed output, that nothing in it can run code or load a document. */
function expectHarmless(html: string): void {
  for (const el of elementsOf(html)) {
    expect(DANGEROUS_TAGS.has(el.name), `<${el.name}> in ${html}`).toBe(false);
    for (const [attribute, value] of Object.entries(el.attribs)) {
      expect(SAFE_ATTRIBUTES.has(attribute), `${attribute}= on <${el.name}> in ${html}`).toBe(true);
      expect(value).not.toMatch(/alert|msgbox|expression\(/i);
    }
  }
  for (const { tag, attribute, url } of urlsOf(html)) {
    const { protocol } = new URL(url);
    const dataImage = tag === 'img' && attribute === 'src' && /^data:image\/(png|jpeg|gif|webp|avif)[;,]/.test(url);
    expect(['http:', 'https:', 'mailto:'].includes(protocol) || dataImage, `${attribute}="${url}" on <${tag}>`).toBe(true);
  }
}

describe('sanitizeArticleHtml against XSS', () => {
  it.each([
    ['a script element', '<script>alert(1)</script>'],
    ['an upper-case script with a protocol-relative src', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['img onerror with spaces before =', '<img src="x" onerror  =alert(1)>'],
    ['a javascript: img src', `<IMG SRC="javascript:alert('XSS');">`],
    ['a mixed-case javascript: src', '<img src=JaVaScRiPt:alert(1)>'],
    ['a tab entity inside javascript:', '<img src="jav&#x09;ascript:alert(1)">'],
    ['javascript: spelled in decimal entities', '<img src="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">'],
    ['a javascript: link', '<a href="javascript:alert(1)">x</a>'],
    ['leading spaces before javascript:', '<a href="  javascript:alert(1)">x</a>'],
    ['a newline inside javascript:', '<a href="java\nscript:alert(1)">x</a>'],
    ['a carriage-return entity inside javascript:', '<a href="jav&#x0D;ascript:alert(1)">x</a>'],
    ['a NUL before javascript:', '<a href="\u0000javascript:alert(1)">x</a>'],
    ['hex entities and &colon;', '<a href="&#x6A;avascript&colon;alert(1)">x</a>'],
    ['an encoded colon', '<a href="javascript&#58;alert(1)">x</a>'],
    ['vbscript:', '<a href="vbscript:msgbox(1)">x</a>'],
    ['a data:text/html link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
    ['a data: image on a link', '<a href="data:image/png;base64,AAAA">x</a>'],
    ['a data:text/html img', '<img src="data:text/html,<script>alert(1)</script>">'],
    ['an SVG data: img', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
    ['javascript: and data: in srcset', '<img src="x.png" srcset="javascript:alert(1) 1x, data:image/png;base64,AAAA 2x">'],
    ['svg onload', '<svg onload=alert(1)>'],
    ['script inside svg', '<svg><script>alert(1)</script></svg>'],
    ['an iframe', '<iframe src="https://evil.example/"></iframe>'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['a style attribute with a javascript: url', '<div style="background:url(javascript:alert(1))">x</div>'],
    ['a CSS expression', '<p style="width: expression(alert(1))">x</p>'],
    ['a style element', '<style>body{background:url(javascript:alert(1))}</style>'],
    ['a form action', '<form action="javascript:alert(1)"><input type=submit></form>'],
    ['button formaction', '<button formaction="javascript:alert(1)">x</button>'],
    ['object data', '<object data="javascript:alert(1)"></object>'],
    ['embed src', '<embed src="javascript:alert(1)">'],
    ['base href', '<base href="javascript:alert(1)//">'],
    ['a stylesheet link', '<link rel=stylesheet href="https://evil.example/x.css">'],
    ['body onload', '<body onload=alert(1)>'],
    ['details ontoggle', '<details open ontoggle=alert(1)>'],
    ['onclick on an allowed link', '<a href="https://ok.example/" onclick="alert(1)">x</a>'],
    ['a javascript: blockquote cite', '<blockquote cite="javascript:alert(1)">q</blockquote>'],
    ['math/style mutation XSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
    ['a noscript breakout', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['a markup comment', '<!--<img src=x onerror=alert(1)>-->'],
    ['broken attribute quoting', '<img """><script>alert(1)</script>">'],
    ['xmp raw text', '<xmp><script>alert(1)</script></xmp>'],
    ['a template', '<template><script>alert(1)</script></template>'],
    ['isindex', '<isindex action=javascript:alert(1) type=image>'],
    ['video source onerror', '<video><source onerror=alert(1)></video>'],
  ])('defuses %s', (_vector, html) => {
    const output = sanitizeArticleHtml(`<p>before</p>${html}<p>after</p>`, BASE);
    expectHarmless(output);
    expect(sanitizeArticleHtml(output, BASE)).toBe(output);
  });
});

describe('sanitizeArticleHtml', () => {
  it('keeps the structure an article needs', () => {
    const html = `
      <h2>Heading</h2><h3>Sub</h3><p>A <em>b</em> <strong>c</strong> <sub>2</sub><sup>3</sup> <a href="https://example.com/">link</a><br>next</p>
      <ul><li>one</li></ul><ol start="3"><li>three</li></ol><blockquote><p>quote</p></blockquote>
      <pre><code class="language-ts">const x = 1;</code></pre><hr>
      <figure><img src="https://example.com/a.jpg" alt="A chart" width="640" height="480"><figcaption>Caption</figcaption></figure>
      <table><caption>T</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>`;
    const names = new Set(elementsOf(sanitizeArticleHtml(html, BASE)).map((el) => el.name));
    for (const name of ['h2', 'h3', 'p', 'em', 'strong', 'sub', 'sup', 'a', 'br', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'hr',
      'figure', 'img', 'figcaption', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td']) {
      expect(names.has(name), name).toBe(true);
    }
    const [img] = elementsOf(sanitizeArticleHtml(html, BASE)).filter((el) => el.name === 'img');
    expect(img?.attribs).toEqual({ src: 'https://example.com/a.jpg', alt: 'A chart', width: '640', height: '480' });
  });

  it.each([
    ['a relative href', '<a href="other/">x</a>', 'https://news.example.com/articles/harbour-reopens/other/'],
    ['a root-relative href', '<a href="/about/">x</a>', 'https://news.example.com/about/'],
    ['a parent-relative href', '<a href="../other-story/">x</a>', 'https://news.example.com/articles/other-story/'],
    ['a fragment', '<a href="#notes">x</a>', 'https://news.example.com/articles/harbour-reopens/#notes'],
    ['a query', '<a href="?page=2">x</a>', 'https://news.example.com/articles/harbour-reopens/?page=2'],
    ['a protocol-relative src', '<img src="//cdn.example.com/a.png" alt="">', 'https://cdn.example.com/a.png'],
    ['a relative img src', '<img src="chart.png" alt="">', 'https://news.example.com/articles/harbour-reopens/chart.png'],
    ['a relative cite', '<blockquote cite="/sources/1">q</blockquote>', 'https://news.example.com/sources/1'],
    ['an absolute href', '<a href="https://other.example/x?a=1&amp;b=2">x</a>', 'https://other.example/x?a=1&b=2'],
    ['a mailto href', '<a href="mailto:desk@example.com">x</a>', 'mailto:desk@example.com'],
    ['a raster data: img', '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">', 'data:image/png;base64,iVBORw0KGgo='],
  ])('makes %s absolute', (_case, html, expected) => {
    expect(urlsOf(sanitizeArticleHtml(html, BASE)).map((u) => u.url)).toEqual([expected]);
  });

  it('makes every srcset candidate absolute and keeps its descriptor', () => {
    const output = sanitizeArticleHtml('<img src="a.png" srcset="a.png 1x,/b.png 2x, https://cdn.example.com/c.png 640w" alt="">', BASE);
    const [img] = elementsOf(output);
    expect(img?.attribs.srcset).toBe(
      'https://news.example.com/articles/harbour-reopens/a.png 1x, https://news.example.com/b.png 2x, https://cdn.example.com/c.png 640w',
    );
  });

  it('drops an img whose src is not allowed', () => {
    expect(sanitizeArticleHtml('<p>x<img src="javascript:alert(1)" alt="a"></p>', BASE)).toBe('<p>x</p>');
  });

  it('keeps language classes on code and drops every other class and id', () => {
    const output = sanitizeArticleHtml('<p class="lead" id="top" data-x="1">p</p><pre class="language-js"><code class="language-js hljs">x</code></pre>', BASE);
    const [p, pre, code] = elementsOf(output);
    expect(p?.attribs).toEqual({});
    expect(pre?.attribs).toEqual({ class: 'language-js' });
    expect(code?.attribs).toEqual({ class: 'language-js' });
  });

  it('escapes > in text, so "]]>" cannot end a CDATA section', () => {
    const output = sanitizeArticleHtml('<p>a ]]> b &gt; c</p><a href="https://x.example/?q=]]>" title="]]>">l</a>', BASE);
    expect(output).not.toContain(']]>');
    expect(output).toContain('a ]]&gt; b &gt; c');
  });

  it('removes characters XML forbids from text, attributes and character references', () => {
    const output = sanitizeArticleHtml('<p title="t\u0001">a\u0000b\u000Bc\uFFFEd\uD800e &#1; &#xFFFF; f\uDC00</p><img src="x.png" alt="a\u0008lt">', BASE);
    expect(hasXmlForbidden(output)).toBe(false);
    expect(output).toContain('abcde');
  });

  it('keeps curly quotes, dashes and emoji as they are', () => {
    expect(sanitizeArticleHtml('<p>“ready” – it’s ‘here’ 😀</p>', BASE)).toBe('<p>“ready” – it’s ‘here’ 😀</p>');
  });

  it('keeps the text of unknown but harmless elements and drops the elements', () => {
    expect(sanitizeArticleHtml('<section><article><p>kept <font color="red">text</font></p></article></section>', BASE)).toBe('<p>kept text</p>');
  });
});
