/**
 * The one stylesheet of every page, inlined so a page is a single request.
 * System fonts, one readable column, images that never overflow, dark mode
 * from the reader's setting, and nothing wider than a 375 px phone.
 */
export const pageCss = `
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5f6368;--bg:#fff;--line:#ddd;--link:#0b57d0;--accent-bg:#f4f6f8}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a0a4a8;--bg:#151515;--line:#333;--link:#8ab4f8;--accent-bg:#202124}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:break-word}
.wrap{max-width:42rem;margin:0 auto;padding:1rem 1.25rem 3rem}
a{color:var(--link)}
img,video{max-width:100%;height:auto}
pre{overflow-x:auto;padding:.75rem;background:var(--accent-bg);border-radius:4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
table{display:block;max-width:100%;overflow-x:auto}
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--line);color:var(--muted)}
h1,h2,h3{line-height:1.25}
h1{font-size:clamp(1.625rem,6vw,2.25rem)}
.site-header{border-bottom:1px solid var(--line);padding-bottom:.5rem;margin-bottom:1.5rem}
.site-title{font-size:1.25rem;font-weight:700;text-decoration:none;color:var(--fg)}
.meta,.muted{color:var(--muted);font-size:.9375rem}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.tags a{display:inline-block;padding:0 .5rem;border:1px solid var(--line);border-radius:1rem;text-decoration:none}
.entries{list-style:none;padding:0}
.entries li{margin:0 0 1.5rem}
.entries h2{font-size:1.25rem;margin:0}
.entries .meta{margin:.25rem 0}
.content{margin-top:1.5rem}
figure{margin:1.5rem 0}
.site-footer{margin-top:3rem;border-top:1px solid var(--line);padding-top:1rem}
.subscribe{background:var(--accent-bg);padding:1rem;border-radius:6px}
.subscribe h2{margin-top:0;font-size:1.125rem}
.subscribe form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.subscribe label{flex-basis:100%}
.subscribe input:not([type=radio]):not([type=checkbox]),.subscribe select{flex:1 1 12rem;min-width:0;max-width:100%;font:inherit;padding:.4rem .6rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
.subscribe button,.button{display:inline-block;font:inherit;padding:.4rem 1rem;border:0;border-radius:4px;background:var(--link);color:var(--bg);cursor:pointer;text-decoration:none}
.choices{flex-basis:100%}
.choices summary{cursor:pointer;color:var(--link)}
.subscribe fieldset{min-width:0;margin:.75rem 0;padding:.5rem .75rem;border:1px solid var(--line);border-radius:4px}
.subscribe legend{font-weight:600;padding:0 .25rem}
.subscribe label.option{display:flex;gap:.5rem;align-items:baseline;margin:.25rem 0}
.subscribe .when{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-top:.5rem}
.subscribe .when span{display:inline-flex;gap:.5rem;align-items:center}
.subscribe .when select{flex:0 1 auto}
.subscribe .wide{width:100%}
.feeds{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.feed-urls{list-style:none;padding:0}
.feed-urls li{margin:0 0 1rem}
.feed-urls code{word-break:break-all}
`.trim();
